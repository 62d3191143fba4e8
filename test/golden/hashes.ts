/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  "default.json legacy": {
    "events": 101758,
    "log": "1926c692a759e437a9848a5a9e490262b912369b0eda1a8f631a9bbc1371b505",
    "stateHash": "8fdddf48766cab206b2499c62729d8cf7663b87f876443b62e1622719c934f1a"
  },
  "default.json reparent": {
    "events": 101879,
    "log": "75a8045de3bf39502205b82df43f3bbb3482b1b4c60852cb691d15ff437345a1",
    "stateHash": "1698fa8d0bfd76c9ca8c96446b3af2e248bf3845cda77f2659269981d5f4ec87"
  },
  "dying-hot-pages.json legacy": {
    "events": 122081,
    "log": "463c1ca9dab5cafdf751ca4b6a6aacc61860955cd1016688a2a992cca325b941",
    "stateHash": "4eb69a0222c59df2bde325d901f91cf370c6ab70ae96732ded3edff01a41d39c"
  },
  "dying-hot-pages.json reparent": {
    "events": 118512,
    "log": "8873514b80e6ad9f631f532bda9bfebd7b2f58de9409762144f8fb593ff11fbd",
    "stateHash": "275e65655e32fee59b3f397b5821a06eaf5cb457e3a8e01454a5a8b1f1ffad00"
  },
  "mglru-reparent.json legacy": {
    "events": 177270,
    "log": "fe3ca10b8306b19668a8461fedd334b52c975ef614736d7d089a8cc988abb2cd",
    "stateHash": "4eab57e9869eb16f9172f375ca59efe9b4cc1d291f1745353424c094d7f6650e"
  },
  "mglru-reparent.json reparent/same-gen": {
    "events": 178152,
    "log": "8ad2c8057ac98a72801d10b5827fd1020231726e6b595003af0b15690ec9a1d6",
    "stateHash": "e46e9b28cddf6f3ec83a30d1d795a7bfb3e5410e35131c61b6dee08131d7aced"
  },
  "mglru-reparent.json reparent/tail": {
    "events": 169686,
    "log": "536083523e5f2e2fdfc00543219ded2a6c3a0aef5701aee6695d9d1ac8616c81",
    "stateHash": "91b32789fb87ec68a5e8013a62650507f996ff9f5e9583c4943a5f59c3351051"
  },
  "mglru-reparent.json reparent/age-order": {
    "events": 188481,
    "log": "b500ffb812764e3330ebef0b2c5d35464f9c715996eb1f570b0a1189f1919a7b",
    "stateHash": "57ec7259e1e776a20811b71f29d67fb27f66f00fa039f988e7022413c7921e7f"
  },
  "restart-costly.json legacy": {
    "events": 113955,
    "log": "a99b9fb8d19797c34d8c760887769074def7a78a9927ed047b9e08ffa706608d",
    "stateHash": "afdf41e6f7a128b831739f039c0c83bc5b0d85b60c898ecabc94dbff534f776c"
  },
  "restart-costly.json reparent": {
    "events": 114792,
    "log": "fb9ec1c43f31c4c6b66689d3d9c9ddccdfba9cd41aff44d9183f0fa016c4268f",
    "stateHash": "4897b1399b028bd0a27db67c909192caedf39128dd25fb55ae6f227edaca0cd6"
  },
  "restart-pressure.json legacy": {
    "events": 103411,
    "log": "8ca492fb88daf3549058497ee7ae06cc96e593c1ca3a31d2f7dc0dd148514b49",
    "stateHash": "8d1cc6e5bc66a2330bd3ee1477410b23a1f0e01e738bb6a55f8af0556ad19f6f"
  },
  "restart-pressure.json reparent": {
    "events": 103385,
    "log": "e87ff9b06923d8cec26972892f4fd14622cd6b52e285597a71f4baf893dea4d0",
    "stateHash": "b1d75904401b325c1fad3fc41f438e85333f3da514c6038821ec83cda192f520"
  },
  "scale.json legacy": {
    "events": 79998,
    "log": "58e5448d5a7fabfdb949a3b7023c5a2ba4826141a19790d0cc9c3e198e61a283",
    "stateHash": "c0c5924ebde712a8414acd545eb547e11a4e43c2d84f173a33c2ea19fc0f05f1"
  },
  "scale.json reparent": {
    "events": 80119,
    "log": "6457ea5796ed583e6c48dc831c39d4c369827c88d2cae84d3503fa24eed962ef",
    "stateHash": "e946f2cb189eb73e050b3b2e8444eca35b584e985e8dfa849f652978c8065c53"
  }
}
;
