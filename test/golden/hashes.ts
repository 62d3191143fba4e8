/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  'default.json legacy': {
    events: 101758,
    log: '1926c692a759e437a9848a5a9e490262b912369b0eda1a8f631a9bbc1371b505',
    stateHash: '957c491744d6bca6a107344af2a9c8174a24c483fbec300ccb7c2e203f1600d1',
  },
  'default.json reparent': {
    events: 101879,
    log: '75a8045de3bf39502205b82df43f3bbb3482b1b4c60852cb691d15ff437345a1',
    stateHash: '512bc6db466d9ed88f3f0a2da0c1c81fe9ae4e3f24818bd19b6474f9fa82f518',
  },
  'dying-hot-pages.json legacy': {
    events: 122081,
    log: '463c1ca9dab5cafdf751ca4b6a6aacc61860955cd1016688a2a992cca325b941',
    stateHash: '31725a9f8b70d333a9462b0d7267bf1fe2deb32fd87cb4ac869d782064dfbe75',
  },
  'dying-hot-pages.json reparent': {
    events: 118512,
    log: '8873514b80e6ad9f631f532bda9bfebd7b2f58de9409762144f8fb593ff11fbd',
    stateHash: '895ac8fb64d839ab01e4c2cc07644344d1141ce2051cad68eff5d1c6ef4e1245',
  },
  'mglru-reparent.json legacy': {
    events: 177270,
    log: 'fe3ca10b8306b19668a8461fedd334b52c975ef614736d7d089a8cc988abb2cd',
    stateHash: '532f0621ad2f98c94012013b5f014754f9eb27d21e12cd91fb0a02be598fd6dc',
  },
  'mglru-reparent.json reparent/same-gen': {
    events: 178152,
    log: '8ad2c8057ac98a72801d10b5827fd1020231726e6b595003af0b15690ec9a1d6',
    stateHash: '0c91351a3bd9384b8dea12202d792935b15a24359811a45adeb3fe4e2d8c3f81',
  },
  'mglru-reparent.json reparent/tail': {
    events: 169686,
    log: '536083523e5f2e2fdfc00543219ded2a6c3a0aef5701aee6695d9d1ac8616c81',
    stateHash: '809977b3b74edaa5def9daae711113d57b87cce0a6540d864e51a021d024b054',
  },
  'mglru-reparent.json reparent/age-order': {
    events: 188481,
    log: 'b500ffb812764e3330ebef0b2c5d35464f9c715996eb1f570b0a1189f1919a7b',
    stateHash: '43f339a3fcc3791cdc60782cbcbad289c749c6f32a6af59bf46ba923f54b070c',
  },
  'restart-costly.json legacy': {
    events: 113955,
    log: 'a99b9fb8d19797c34d8c760887769074def7a78a9927ed047b9e08ffa706608d',
    stateHash: '647fed6c4c4dfc0791652521c8115f5275d3aeee012a6cc88a8460cc8ba1c879',
  },
  'restart-costly.json reparent': {
    events: 114792,
    log: 'fb9ec1c43f31c4c6b66689d3d9c9ddccdfba9cd41aff44d9183f0fa016c4268f',
    stateHash: 'f2f3fbd6c8d790a97b0065e619c1ebc569e6ac025063d0da81c2e1c1afca7bbf',
  },
  'restart-pressure.json legacy': {
    events: 103411,
    log: '8ca492fb88daf3549058497ee7ae06cc96e593c1ca3a31d2f7dc0dd148514b49',
    stateHash: '5d0ca24c5572b8924c993879d5e342d9d632c3255b856179bd2072dc805d376d',
  },
  'restart-pressure.json reparent': {
    events: 103385,
    log: 'e87ff9b06923d8cec26972892f4fd14622cd6b52e285597a71f4baf893dea4d0',
    stateHash: '657dcc2ef4b09e28b3315a9e1bdc14481a38c95c12d2b0efb9fd0af264fa6727',
  },
  'scale.json legacy': {
    events: 79998,
    log: '58e5448d5a7fabfdb949a3b7023c5a2ba4826141a19790d0cc9c3e198e61a283',
    stateHash: '028d2f06331a5666e8480abd020c109ca4aef00ae49751c6b8243995aaf6416b',
  },
  'scale.json reparent': {
    events: 80119,
    log: '6457ea5796ed583e6c48dc831c39d4c369827c88d2cae84d3503fa24eed962ef',
    stateHash: '74f425d556d7607ca756587615c125ca4771d1cd0ba0bbd4951350091af0adf3',
  },
};
