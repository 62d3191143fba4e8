/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  "default.json legacy": {
    "events": 101594,
    "log": "f57477b169399a4a17933e5b29d2489e4d96f3eb81c1571ec958610b237781b3",
    "stateHash": "60b27d52588601f0a45e140ced5f433c2cbabe5aa6410dc1f5254583989929a9"
  },
  "default.json reparent": {
    "events": 101715,
    "log": "bc4d2fff28bc2df3a4b86a32bbf34690a91d69edad1516ae32958bf10c51fca7",
    "stateHash": "73fbb9b44ffe5bc617a2ce763e9a40cc2306fbb14cd226431d503fa0d9b092fe"
  },
  "dying-hot-pages.json legacy": {
    "events": 121871,
    "log": "309e9889c9d13c5301ab1fca5557bde86df78b5de7f228ff04ffbd2eafe6d853",
    "stateHash": "8e548dcacef67d6ec6f6abaa7eb2d9a7551857c51d719c911a1ddc07514610b3"
  },
  "dying-hot-pages.json reparent": {
    "events": 118315,
    "log": "71ef022d93524e3d4351a4d03b12fbb57488e01a14282a4bcca733eb2601ffe5",
    "stateHash": "ca6fa2d33fbd330e1bec2f2ed68e0d48eb26a6a0c09620a607ef79217a8cd26f"
  },
  "mglru-reparent.json legacy": {
    "events": 177043,
    "log": "c2a659761a3d18938a2f0f38a7d45042871c05aec0f288cc87101d61557bfd26",
    "stateHash": "313d239f78983c7d6bcb7eae436d7a9c23704cf4f692f2e66936ecb0abfc13ad"
  },
  "mglru-reparent.json reparent/same-gen": {
    "events": 177937,
    "log": "5d6397071da031ffbbd0625b8683d664d89f929b3461063e4b9e90baad1a8761",
    "stateHash": "156e88b0dfbfa20a555404f864baac8bdc0af0398c5d260b3f5a527ba5f3324a"
  },
  "mglru-reparent.json reparent/tail": {
    "events": 169504,
    "log": "5895eb83e686ffed59d5b7e839a9cd0ffe700835e42bd12c97ca189b1b691c74",
    "stateHash": "55f14f5bae9f7c89203e9c967d00a9dea74858f535f3e01168c74574a4d8577d"
  },
  "mglru-reparent.json reparent/age-order": {
    "events": 188236,
    "log": "9922a33442049a23dbd49d3409d7637caf7c4d325ff82e951c513739d2a69f11",
    "stateHash": "724ff58ac9255015f2a869a5f75a3147b11c0af7d1b9d1cfdd589b73d213cdb6"
  },
  "restart-costly.json legacy": {
    "events": 113791,
    "log": "b4cff0a48356603604c665bb84668ba4150d65a0103169a847aaec05981a38c1",
    "stateHash": "6d63259424ae854ca5b9995e74c96514cbf4172dcdf74bfa64393ec171bd7494"
  },
  "restart-costly.json reparent": {
    "events": 114628,
    "log": "2363019524ad52736970694d137f9b8d102cce98ece68bbbc7267e3d02f3c2cb",
    "stateHash": "10eca5d53a746faf4e9cf98feb37a1174901b2855a5243d6b3ce1a1aa4645a55"
  },
  "restart-pressure.json legacy": {
    "events": 103247,
    "log": "e5f4e1f345b470dc454463c61c69ba37db7ad262c764f7a115d3d544e1ec6e09",
    "stateHash": "ea808318ced7753494b60adefd1eb43f22b64eaa77c852fbcfd6a9ad43e5886e"
  },
  "restart-pressure.json reparent": {
    "events": 103221,
    "log": "88ac69a95807e54de124458bfbedbaea6163c6641b01b8ba05c2dfc92e4b3261",
    "stateHash": "c7505188771f87bb22619bce4b8f37cd957a543ce2af2171341819403eb2e2ae"
  },
  "scale.json legacy": {
    "events": 79834,
    "log": "76afb5ba3ff3dedde417e6251691f4110671bcc2d5461e7ac53f003aa570254c",
    "stateHash": "54059bc5535e501c624a2c5924f4bf413c3bc2aafa76e013e0855b29590483ef"
  },
  "scale.json reparent": {
    "events": 79955,
    "log": "975b23980b20ef60671cbc7043ef21f0dc7c626135845907fe8390d039cd979d",
    "stateHash": "1c6fd2d33fce2ccea6e63bd8bdef23a09fa7df742f276fff91ee87e1cfd160e5"
  }
};
