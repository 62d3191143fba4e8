/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  "default.json legacy": {
    "events": 101594,
    "log": "f57477b169399a4a17933e5b29d2489e4d96f3eb81c1571ec958610b237781b3",
    "stateHash": "c9a3ca6f75bde83afb0ccda8b5993ea980dd2d011b3dfdfe57c6856999c1e02c"
  },
  "default.json reparent": {
    "events": 101715,
    "log": "bc4d2fff28bc2df3a4b86a32bbf34690a91d69edad1516ae32958bf10c51fca7",
    "stateHash": "1a5b1c2e6c78bbfecb90103e9bd931d09535a90da88db0acfb7e58d38ef87d3a"
  },
  "mglru-reparent.json legacy": {
    "events": 167815,
    "log": "f619783ee81ab5875a12324484202d4d537ec0a00934bb80d2768c945a24d486",
    "stateHash": "b92ad104f5ea02470fa03c6205712f1431bad39427093409522e824c3270b0e3"
  },
  "mglru-reparent.json reparent/same-gen": {
    "events": 167127,
    "log": "f7d94b8dd599431cb929d9ba1fd644c134ae07aa0af493e135a9a0c5765e273d",
    "stateHash": "9d71b5d4345b0cef92c7c2e1d8a79ea6d867ac8c794521f84cbabd472f6e143d"
  },
  "mglru-reparent.json reparent/tail": {
    "events": 166330,
    "log": "aeac35e900f4f47ffaf895785a39c609815770bd4d263c00adffd92e3985238f",
    "stateHash": "57f4aaf45a6a7ba7fe861f531610629bc26745f6343b53ea090190c5568e3868"
  },
  "mglru-reparent.json reparent/age-order": {
    "events": 179399,
    "log": "7f4618b7d001e1680d2b04f10603cdb542d08a02de2da2c99540bf5b75153300",
    "stateHash": "05a945fa76cd032ae63a167a578a32b5dacf6671838f544083c83f6c1e644102"
  },
  "restart-pressure.json legacy": {
    "events": 103052,
    "log": "362e5c0163e556452ac83b07501b27ad364cafa272d0339ee05f70ddf75358a8",
    "stateHash": "8ad449abf00d5196548c4e907c249f1ed177166f37656869a08a8579ef3b261b"
  },
  "restart-pressure.json reparent": {
    "events": 103028,
    "log": "93d3a417ccbf8f0fc1d9eb2d21ba3ce9e6ef1404f788f133bc3abb90ccfc341f",
    "stateHash": "8f091613414b92a1889e9cad36de9d7952061af3a76d7f5729474e9dba8f5f4c"
  },
  "scale.json legacy": {
    "events": 79834,
    "log": "76afb5ba3ff3dedde417e6251691f4110671bcc2d5461e7ac53f003aa570254c",
    "stateHash": "303d6ea5f6dbe64b47fb29f5fd5221e7cd0403a4a497999e30dd415d2bd208dd"
  },
  "scale.json reparent": {
    "events": 79955,
    "log": "975b23980b20ef60671cbc7043ef21f0dc7c626135845907fe8390d039cd979d",
    "stateHash": "dc52af94d67dde0e145f29fb6774395403fcbd43c57e42e14bbe7421150911d1"
  }
}
;
