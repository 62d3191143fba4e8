/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  "default.json legacy": {
    "events": 101758,
    "log": "1926c692a759e437a9848a5a9e490262b912369b0eda1a8f631a9bbc1371b505",
    "stateHash": "ee77393db0bbc9bc42a4408e21f9c77c1ff0b5213b94bfc37919a5ff364448cb"
  },
  "default.json reparent": {
    "events": 101879,
    "log": "75a8045de3bf39502205b82df43f3bbb3482b1b4c60852cb691d15ff437345a1",
    "stateHash": "27e814dbbebfeec93ec672323f3111961c24b47df84125764e6a6ffe6de7378e"
  },
  "mglru-reparent.json legacy": {
    "events": 167990,
    "log": "8cc23b3cc306f2c6b7de9525b962c3e64175763aac1c0357e185bd06c830d6c6",
    "stateHash": "7e04c8c743d5ef6d14c05c46fa0dc4fcde2acd67a8ac3258fdf64c88cd8c5006"
  },
  "mglru-reparent.json reparent/same-gen": {
    "events": 167299,
    "log": "19a6cae7710a1e3daccc1e986b5079f6b6b4e2157567021d5962707bc0c71868",
    "stateHash": "adc2b9b00d052ed7e95071f26bacc2f01f94eb85043e8ff6d4be6d1d188e6ef1"
  },
  "mglru-reparent.json reparent/tail": {
    "events": 166502,
    "log": "79d812306b309ba5345f1c129ed90f171697b0abf02fcf88370568de475a42d2",
    "stateHash": "1fc3e2314dae04207e396a316168a864736ba905594c49f7a23d0e42766baee5"
  },
  "mglru-reparent.json reparent/age-order": {
    "events": 179601,
    "log": "3c76b9ad7bb6e2062d5a794fe6c38c8d6679f8cb702368228b2f98df46a42866",
    "stateHash": "b69044ac67443eae5f7ff11e5535b769a178c595867868a5a5eeaa102d2c66c9"
  },
  "restart-pressure.json legacy": {
    "events": 103216,
    "log": "655f31f3f7acbfe66906fc4e480ae49c0d00b4a9b0c2d4c1e5e34c793ae61f91",
    "stateHash": "705058a2cb2e734402e58f8a897543cc18d74dd8d92fac19f2b045554849837b"
  },
  "restart-pressure.json reparent": {
    "events": 103192,
    "log": "db3ec29d30a8f5d0f729f2ca54ade90b7cdb1ff0eb74d1e6ba105c57ddc8f06a",
    "stateHash": "aabc28a970d3b9f6b22a1264fdabddb1e99790dfaddab98602a3c63011aaedff"
  },
  "scale.json legacy": {
    "events": 79998,
    "log": "58e5448d5a7fabfdb949a3b7023c5a2ba4826141a19790d0cc9c3e198e61a283",
    "stateHash": "fdabf32366e92738f985df00eb3ac97addfdf67ca869e4f70e9c04d9fd998e3f"
  },
  "scale.json reparent": {
    "events": 80119,
    "log": "6457ea5796ed583e6c48dc831c39d4c369827c88d2cae84d3503fa24eed962ef",
    "stateHash": "69aa3ea5e426553f48d71c904225e0839294ef41cb0ebb3b8403f29bedad5906"
  }
};
