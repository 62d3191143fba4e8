/** Pinned by test/golden/golden.test.ts; regenerate with GOLDEN_PRINT=1 and say in the commit why they moved. */
export const GOLDEN: Record<string, { events: number; log: string; stateHash: string }> = {
  'bug-no-rcu.json bug': {
    events: 67850,
    log: '19ff81879e3092546a57f7c36ea791e5236c2f6ba6f1c0e8c412d75dbe622e16',
    stateHash: 'dfd63f08e652c65c97d3e397297936a96781ca3cdd2f32bab70b854b7f644764',
  },
  'bug-no-rcu.json bug kernel=v1': {
    events: 67850,
    log: 'd64299150b36d92ed586a702e09c7ba406721606247c0b1be3807d736ae3ed75',
    stateHash: 'dfd63f08e652c65c97d3e397297936a96781ca3cdd2f32bab70b854b7f644764',
  },
  'bug-no-recheck.json bug': {
    events: 62553,
    log: '12393234edbfb09dcf951453cde079bd62fcf43a613c28f1741cc682dcd7ece4',
    stateHash: '8fafdcb13156ff4c47fe2f31e5fb214968379192530665dbb311307e27ab37d0',
  },
  'bug-no-recheck.json bug kernel=v1': {
    events: 62553,
    log: '6b86faab5904c0c74c7147c261cced4b5ba142926d48bac063ad69ea76042ba2',
    stateHash: '8fafdcb13156ff4c47fe2f31e5fb214968379192530665dbb311307e27ab37d0',
  },
  'bug-split-queue-no-recheck.json bug': {
    events: 15644,
    log: 'e56f7e5a37701988933df7f76324b471b2ca92f1f84e8c4f4db1976322c8e277',
    stateHash: '9e53b0a9f00ac32e129cc8c975604376e6758d06f58efd43ca9716759f6a8ef8',
  },
  'bug-split-queue-no-recheck.json bug kernel=v1': {
    events: 15644,
    log: '6418330d689856d80c418bb06cc750f2f5ad96d89dfe148416e02a74fb70a9c2',
    stateHash: '9e53b0a9f00ac32e129cc8c975604376e6758d06f58efd43ca9716759f6a8ef8',
  },
  'bug-stale-active-stats.json bug': {
    events: 106944,
    log: '1bd2ed73898c011eac560f94a3d14eb94d399f005cec617beabb1f6c3da9d1cf',
    stateHash: 'd17b9b9f140f2b294285e6ea009ae832c770d31c96fc77a8be386b807136388a',
  },
  'bug-stale-active-stats.json bug kernel=v1': {
    events: 108828,
    log: 'ffcde73b92e8da885bbb471f5bff2af0f43e0a78d89e7066189a49141c64197d',
    stateHash: 'da2f5e41a8442e9dd20133b0342ec1819578891f1609d7bc9cbd9992fd58ed75',
  },
  'bug-unbounded-retry.json bug': {
    events: 85710,
    log: '258fefa1301bf359dec9cc0182fac374e4a570bb9fa3164f2f57a8dd0800aacd',
    stateHash: '20ed8349580ecd3b60cab42d27276ec3b4aec36de58c2a00db29143aa20775ac',
  },
  'bug-unbounded-retry.json bug kernel=v1': {
    events: 85710,
    log: '4573cf3f3944ce7a5d99b39adecc855166b487ae1fca8e005e0d98cd6c3cebde',
    stateHash: '20ed8349580ecd3b60cab42d27276ec3b4aec36de58c2a00db29143aa20775ac',
  },
  'bug-walk-batch-race.json bug': {
    events: 229022,
    log: 'bb898a0d6ffbdb9791e8462fe421f183d02fe3732440d48ce9b835d984cfa7de',
    stateHash: 'b531b9fd22d4b7ee3ba152ee1e863765ad002d8eb429027da944b7d6bbc31901',
  },
  'bug-walk-batch-race.json bug kernel=v1': {
    events: 228514,
    log: '0617baec1fbf8a823a900db80f7baccd4dd8b0f0920ce15872828bf479544829',
    stateHash: '803a75bb368f2f0f0d9d57157e596422a634fd2a8a97f4176406ebdc4a8a1670',
  },
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
    log: '2b4dfa9902115fbf89ba7d955a7a5aa53221097eb4452a31502a7d7fbef2ad0d',
    stateHash: 'c28bcf334c7d3e78fc805d041a7401aa529b553a03f36790c985722359dcc79b',
  },
  'dying-hot-pages.json reparent': {
    events: 71179,
    log: '90ecadd48c449032c2d07659f84cceefee3979ea2564336ae0a792ddb85b9778',
    stateHash: 'c9b94db2a69206cf1c49888c27ae01e0438ede649f7a10f13e6659c5c9acf3e7',
  },
  'mglru-reparent.json legacy': {
    events: 107936,
    log: '8a0574a19da17c3cae3a0cb39db69012b132d867d911391813a13d3b5ae74899',
    stateHash: '9041f7bea326e381e5164d1b814beb268754e93485ce9528f6772bb5b1f923bc',
  },
  'mglru-reparent.json reparent/age-order': {
    events: 112995,
    log: '3cad2956671a10dbd21101e84ebe7ed5c4f2e9bb4e2b8bc7362e9b202325108d',
    stateHash: 'a5cc6bb7ac27033ab7d48182bc544b2c0a4f473bcb591e508a758e0cf8b1150b',
  },
  'mglru-reparent.json reparent/same-gen': {
    events: 106944,
    log: '07470e0d5d69e26c357345e03ed775663adb9cde2f528c049cf67cd319731e50',
    stateHash: 'd79e0823dd9a3eecf5d0cc2c197bf8ba41065b22b1d6b246ff2146886698fd78',
  },
  'mglru-reparent.json reparent/same-gen kernel=v1': {
    events: 108828,
    log: 'c93ac2c8fa4c5efad48ff7d048b67f4d8194af03cd8f337603b2a638a9bc6f2f',
    stateHash: '455577f63fb72c60d1b6dd9bd49d568e063a825f39e2b9dfcd6ad687e7ddea3c',
  },
  'mglru-reparent.json reparent/tail': {
    events: 103300,
    log: '01be9a18d84c628a557290c5aa5482b2bf249e6bdbddcd6655ca25a6c70986fa',
    stateHash: '7d34beb9c08be6c67f13dc45045cfbf2f9cb4f0e81e7a5d701af7937e4c25172',
  },
  'numa-2node.json legacy': {
    events: 108008,
    log: 'bc5d5c5bca438c2259707fc6134e14a2e6959716746504bec0ddfe7ae04268e3',
    stateHash: '4647eb9a40bbd74f5eff5bc9d87c2012c522cdf40e93b0626d84f57b58fadfec',
  },
  'numa-2node.json reparent/age-order': {
    events: 114630,
    log: '209b2465a15f7627b517e4a907cca9f00b1c8d8c42969cfc3fde5adf40fa6d8c',
    stateHash: 'd80cc26b21df59ca6b3b49f694ba3127098820f93873a533c4a84810961abbee',
  },
  'numa-2node.json reparent/same-gen': {
    events: 114920,
    log: '09096cd3c282d6947c50167aac271a3c791866f8668970f1abb417bbb443282d',
    stateHash: 'a5dc885b9ea5831b59f07b71d11bd09de413a0deb6cdb45afd1cd69613528c2b',
  },
  'numa-2node.json reparent/same-gen kernel=v1': {
    events: 114817,
    log: '865fcc7443cad07f1216faed878e7aeef016630cdf6b7de7fb2f5e08932471fe',
    stateHash: '00225d2fd53483a16ace76cf7d6704ef547fac20236445901774eb4354675f9e',
  },
  'numa-2node.json reparent/tail': {
    events: 105027,
    log: '300bd64a6d30923a29d9b40cfe3b6d1cbdece39a13923eeb5f77945f1e16d715',
    stateHash: 'f7c861fcbd9beb6f622aefecf6d4beb1864e1aa5df9dbe1cccb26c0617144da6',
  },
  'race-aging-batch.json race': {
    events: 229022,
    log: 'bb898a0d6ffbdb9791e8462fe421f183d02fe3732440d48ce9b835d984cfa7de',
    stateHash: 'b531b9fd22d4b7ee3ba152ee1e863765ad002d8eb429027da944b7d6bbc31901',
  },
  'race-aging-batch.json race fixed': {
    events: 229030,
    log: '4c942fff54e25e9ac2b1d19b2422b3e3f31e51ac6ff9413f50088847773c4f6c',
    stateHash: '184ddebdf53ab098d25a341cd028368c0732fd39811d0c3174ed0a1c7a88a872',
  },
  'race-reparent-retry.json reparent/same-gen': {
    events: 101689,
    log: 'aecc9b6328fe23f0564fac7b41391b96353fca33d97a3735e6af318252d6492d',
    stateHash: '81cf3ef6c5ad182ba4cfc7757b640fc77973a48ddc424a3227b0f90bfe0f0f29',
  },
  'race-reparent-retry.json reparent/same-gen kernel=v1': {
    events: 105879,
    log: 'c063e2a3fbff6ffdba99682f01cf23e19b584010bcaf383180e78ac99377714e',
    stateHash: '30c92471a7facb534571ab5e81e7574640e5cf76c314b42ae54f6f4288a58c66',
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
    log: 'af65b4794501851448ebd6f84c0f77a0ac1fc13d1948b224d0c27d8f545caa9b',
    stateHash: '27fea6a68dd1b588d198eb3a7599c165ff0c76492a16af362b8d6f1e5cf47706',
  },
  'restart-costly.json reparent': {
    events: 68829,
    log: '5e4f417cf416396165f5fbb90948fdfbb51628a4f4fc7593f999b76adf374a71',
    stateHash: '683c1ac7e150522c90a3ccf83b6214c7100f82ba4e0b230fd2142d3afb7362d2',
  },
  'restart-pressure.json legacy': {
    events: 62184,
    log: '6e5a7f4afdf31145ec92aacbf195fa33804640269b46fe039de968ea0a85a32f',
    stateHash: '6465e70695de1e49e81b143d6e112ca0d6a7f9e8e935f4928b16e979ba3fc2a4',
  },
  'restart-pressure.json reparent': {
    events: 62041,
    log: '837e6ecd0c5f884151b57682e4766968f4b3db8f80a8f22bdd499874e463d36c',
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
  'tmpfs-leftovers.json legacy': {
    events: 86524,
    log: '3b2c05b893165023b163cd47f3b41bf95969a671db85106458255f3b46d4c982',
    stateHash: '4f9ea4cc0a980403b92b632d96a5a924452c3d45f8b85abf77ca98a0e90ce919',
  },
  'tmpfs-leftovers.json reparent': {
    events: 86085,
    log: '246428cd2506895af73d64a38f39c94ce21282cd9e886c71131b0378a5d5e6f0',
    stateHash: 'a6b7b412fa4e58c4b88f778a831e385c51d84cd3bf7ed8385e4d1fd1c3bef7c3',
  },
  'trace.json legacy': {
    events: 5415,
    log: '55c3d74345870210f4ab9804196552dd6c3629c5d72a3abb5711688235948a35',
    stateHash: '6fa252044cce6dbd6deca4eff26c85e32594e4008175cd39f94c44f136d77d93',
  },
  'trace.json reparent': {
    events: 5063,
    log: '917d71d96eae59a331815a221fa430c1593c1840ddd543dd9b2b362f442d1eb2',
    stateHash: '0f34a2067252c56866605a0462d9ab1dcb7d39d004155b4555dde179a726ae22',
  },
};
