/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  'default.json legacy': {
    events: 61262,
    log: 'e5ec545c91758448da664520510ce63a631d670d1252de8a659baab036bf149f',
    stateHash: '35b390575409fecaf86e4d7adb75e5165db8c730632cbdb652812a2dd0bee819',
  },
  'default.json reparent': {
    events: 61335,
    log: 'b797f3a7d2550045162f72a7f24cc19e3a0bfb26f0591cbc2732fb58d3e5f9fb',
    stateHash: '89ba725ebe0ed1d9659c00bebfe4527c6fd6e0ba71d4c6543d5d6fcc01144786',
  },
  'dying-hot-pages.json legacy': {
    events: 72727,
    log: 'd3e8cf94cf79d5a8839aeef14a7c840c0e6be7def71e2ac648bebe28d7300c32',
    stateHash: 'c28bcf334c7d3e78fc805d041a7401aa529b553a03f36790c985722359dcc79b',
  },
  'dying-hot-pages.json reparent': {
    events: 71179,
    log: '52786e79e24d6038186afa226c49b31297e85607f32e5f70b5ac357af7879b56',
    stateHash: 'c9b94db2a69206cf1c49888c27ae01e0438ede649f7a10f13e6659c5c9acf3e7',
  },
  'mglru-reparent.json legacy': {
    events: 107936,
    log: 'a0f81c45128e77ad9d6acb8cafc99874770059170e8cb853a0f4af71fd7a3cd7',
    stateHash: '9041f7bea326e381e5164d1b814beb268754e93485ce9528f6772bb5b1f923bc',
  },
  'mglru-reparent.json reparent/same-gen': {
    events: 106944,
    log: '48980a4d8a9a514d7f5fa5f9d2eb5a733e46425b2a4fbaa6f87ede6f6210af0a',
    stateHash: 'd79e0823dd9a3eecf5d0cc2c197bf8ba41065b22b1d6b246ff2146886698fd78',
  },
  'mglru-reparent.json reparent/tail': {
    events: 103300,
    log: 'e1b2add1f153cd3c2263015ca4cbfec7549bbe81ad307c6a5d218b4e61ab0014',
    stateHash: '7d34beb9c08be6c67f13dc45045cfbf2f9cb4f0e81e7a5d701af7937e4c25172',
  },
  'mglru-reparent.json reparent/age-order': {
    events: 112995,
    log: '2d3f7ebb394e1e5a4bcad07145be373c4ab4d4b85c07e3c9099478fa349969a8',
    stateHash: 'a5cc6bb7ac27033ab7d48182bc544b2c0a4f473bcb591e508a758e0cf8b1150b',
  },
  'mglru-reparent.json reparent/same-gen kernel=v1': {
    events: 108828,
    log: 'caa31558b70ee4c67c63556dc3591e911277e531de87cebd7ee59530ad01011d',
    stateHash: '455577f63fb72c60d1b6dd9bd49d568e063a825f39e2b9dfcd6ad687e7ddea3c',
  },
  'numa-2node.json legacy': {
    events: 108008,
    log: '3e52115c9001d15e55afbd955dc473dcc847ebdf55f58bf3aa34f2e0db9988ef',
    stateHash: '4647eb9a40bbd74f5eff5bc9d87c2012c522cdf40e93b0626d84f57b58fadfec',
  },
  'numa-2node.json reparent/same-gen': {
    events: 114920,
    log: '079e60c13e271cc611ca980ed8bc6fe60b0aad17d9a4f303e6bf21c7945b9f7e',
    stateHash: 'a5dc885b9ea5831b59f07b71d11bd09de413a0deb6cdb45afd1cd69613528c2b',
  },
  'numa-2node.json reparent/tail': {
    events: 105027,
    log: '6f45e0c68b0c41a1930121d16a133e186230c0c0164b64ba7b67e71750ab74ac',
    stateHash: 'f7c861fcbd9beb6f622aefecf6d4beb1864e1aa5df9dbe1cccb26c0617144da6',
  },
  'numa-2node.json reparent/age-order': {
    events: 114630,
    log: 'b37c59e83d52ef4f8b65369c1e9640cbf2ec0ede7f162677f75b8496d39342eb',
    stateHash: 'd80cc26b21df59ca6b3b49f694ba3127098820f93873a533c4a84810961abbee',
  },
  'numa-2node.json reparent/same-gen kernel=v1': {
    events: 114817,
    log: '20186ae0e19cbcd8f0cc3c7b864c555fc6fe9f18d2f6b4e4809429d3b89a0d81',
    stateHash: '00225d2fd53483a16ace76cf7d6704ef547fac20236445901774eb4354675f9e',
  },
  'repro-gushchin-2019.json legacy': {
    events: 11702,
    log: 'becc3d0d02c6e0a5c7771570842763247d4600593679277191833264626cdc5b',
    stateHash: '4bc64e9bcb87f35c1c41913cd5baf3997e312374452b177844786b0345a28649',
  },
  'repro-gushchin-2019.json reparent': {
    events: 11775,
    log: 'ed477b242077724621e1eb9b374310624d8b5f785149b6f42f9c88e28f0c37de',
    stateHash: '5a7fe13f2f4795c6923b011e0f57d4ca562fb5147b1971b4735de67389fb9285',
  },
  'repro-mcginnes-2018.json legacy': {
    events: 398942,
    log: 'b7bd323ad02acbf329539e877d5bed4a963a8377e32bcf4a5278fa3545c2865f',
    stateHash: '4e5cce2119025b9161834e96e0aff62b7a49ca7a2828fd998e0b6ee0485b0dca',
  },
  'repro-mcginnes-2018.json reparent': {
    events: 410945,
    log: '1f140a25cbbd851f78f2da8cdbb3c56f4da767e700296d874abdccba08e4f0d4',
    stateHash: 'c92ac642a1ad2dfc6b77e117cf87c0ab91ca758279f6066583da1623d5b0e697',
  },
  'repro-waiman-2022.json legacy': {
    events: 11750,
    log: 'f6f97ad6b9412774084ce450c2516f1b744878fdb401f4f533c6ac2ff6ec678b',
    stateHash: '9751deb354a9f9641352bf51940d768ade543606b51d0f716065c8d9d43f1022',
  },
  'repro-waiman-2022.json reparent': {
    events: 11871,
    log: '732661933262f27349b77b31a67314e73d30456d392dae982c8624b007bc5fda',
    stateHash: 'd0e904962518cba6b5f1a5cf85b5e0ed411f378b9e64aae2c4bb563093517900',
  },
  'restart-costly.json legacy': {
    events: 68496,
    log: '12fb581eeb35803559383c66bd4c2eb4afeebd0258843e7649ec51fc29d5f163',
    stateHash: '27fea6a68dd1b588d198eb3a7599c165ff0c76492a16af362b8d6f1e5cf47706',
  },
  'restart-costly.json reparent': {
    events: 68829,
    log: '6c1a5e71ff70bfc742b93ce2c7f13c75804778398e278a16f8bee0285d070e5e',
    stateHash: '683c1ac7e150522c90a3ccf83b6214c7100f82ba4e0b230fd2142d3afb7362d2',
  },
  'restart-pressure.json legacy': {
    events: 62184,
    log: '039ea23f22071a486744c17aef9e9dac7b85ce24dc09d3571859f72cb8bfa9b4',
    stateHash: '6465e70695de1e49e81b143d6e112ca0d6a7f9e8e935f4928b16e979ba3fc2a4',
  },
  'restart-pressure.json reparent': {
    events: 62041,
    log: '020e1e72d476b5422b0c9cbd073081ff131155ca12344b940cbbd9115c5ec738',
    stateHash: '4ccf24a7fa20324171c12bbcf463300aef56b6ae2253c26328125d0652107454',
  },
  'scale.json legacy': {
    events: 48206,
    log: '30c611576c1b6d043b803840b81e19e1675f8299ccdfb28b31f1f1e44aad162f',
    stateHash: '24a8b4297bf3e9670a7b3302fc1811ff996eccf0d37b930ac447a9ac53b81334',
  },
  'scale.json reparent': {
    events: 48279,
    log: 'c8cf3086e49d526490355d184eaaad0ceae758fbab7d7ab8bcc84d3c27d887db',
    stateHash: 'a6973a8a8a4e24b6b2ccf3b37cf3ffb60176cdaf62aac57e11849c52a1f436cb',
  },
  'trace.json legacy': {
    events: 5415,
    log: '5ac6904898e7705d4957a5c1292119715deba861a5054f7e54f17180a75067bc',
    stateHash: '6fa252044cce6dbd6deca4eff26c85e32594e4008175cd39f94c44f136d77d93',
  },
  'trace.json reparent': {
    events: 5063,
    log: 'd703f4f03bb925214b3c154eee8a280b501397c3770709879cc6599dc90f7ad1',
    stateHash: '0f34a2067252c56866605a0462d9ab1dcb7d39d004155b4555dde179a726ae22',
  },
};
