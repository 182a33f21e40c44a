/**
 * What each Kept function may do to the table, worked out from the code it runs: the store
 * functions each Lambda calls (FUNCTION_STORE_CALLS) and, for each store function, the DynamoDB
 * actions it sends and the partitions (`pk` patterns) its keys are built in (STORE_ACCESS). The
 * stack grants each role the union of its calls, with `dynamodb:LeadingKeys` per action, so a grant
 * follows the code rather than a guess; tests/lib/access.test.ts checks these lists against the
 * code's imports and key builders, and docs/operations.md shows the resulting table.
 */

/** The item actions Kept's code sends. No Scan, BatchWriteItem, ConditionCheckItem or DescribeTable. */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

/**
 * The partitions of the single table, as `ForAllValues:StringLike` patterns on `pk`. `KUDOS#*`
 * cannot match `KUDOS_WEEK#…` or `KUDOS_REACTION#…` (the character after `KUDOS` differs).
 */
export const PARTITIONS = {
  directory: 'DIRECTORY',
  tips: 'TIPS',
  request: 'REQ#*',
  thread: 'THREAD#*',
  delivery: 'DELIVERY#*',
  agreement: 'AGREEMENT#*',
  ledger: 'LEDGER#*',
  stats: 'STATS#*',
  digest: 'DIGEST#*',
  kudosWeek: 'KUDOS_WEEK#*',
  kudosPerson: 'KUDOS#*',
  kudosReaction: 'KUDOS_REACTION#*',
  audit: 'AUDIT#*',
  retain: 'RETAIN#*',
  retainCursor: 'RETAIN',
  signin: 'SIGNIN#*',
  subscription: 'SUBSCRIPTION',
  subscriptionWeek: 'SUBSCRIPTION_WEEK#*',
  statement: 'STATEMENT#*',
  metric: 'METRIC#*',
  review: 'REVIEW#*',
  reviewDue: 'REVIEWDUE',
} as const;
export type Partition = keyof typeof PARTITIONS;

/** The global secondary indexes a function queries (all three hold request items only). */
export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

/** One store function's access: table actions on partitions, and index queries. */
export interface Access {
  readonly table?: Partial<Record<TableAction, readonly Partition[]>>;
  readonly indexes?: readonly IndexName[];
}

/**
 * Per exported store function (`module.function`, functions/store/<module>.ts): what it sends,
 * including the items of helpers it calls in its own module or another (`saveChange` moves the
 * report counters, stats.ts), but not items its caller passes in (a delivery claim, a breach's
 * ledger items): those are the caller's calls of `deliveryClaimItem`, `chargeItems`, `waiverItems`, `creditItems`,
 * `turnedAroundItem`.
 */
export const STORE_ACCESS = {
  // agreements.ts
  'agreements.getAgreementVersion': { table: { GetItem: ['agreement'] } },
  'agreements.saveProposal': { table: { PutItem: ['agreement', 'directory', 'audit'], UpdateItem: ['directory'] } },
  'agreements.acceptProposal': { table: { UpdateItem: ['directory', 'agreement'], PutItem: ['audit'] } },
  'agreements.declineProposal': { table: { UpdateItem: ['directory', 'agreement'], PutItem: ['audit'] } },
  'agreements.rememberMessage': { table: { UpdateItem: ['agreement'] } },
  // audit.ts: lines are only put (attribute_not_exists), in the transaction of the change they record
  'audit.auditItems': { table: { PutItem: ['audit'] } },
  'audit.readAudit': { table: { Query: ['audit'] } },
  // checks.ts
  'checks.dueChecks': { indexes: ['gsi1'] },
  'checks.postponeCheck': { table: { UpdateItem: ['request'] } },
  'checks.settleCheck': { table: { UpdateItem: ['request'] } },
  // deliveries.ts: a lease (claim, read when refused, mark done, give back on failure), a claim item
  'deliveries.once': {
    table: { PutItem: ['delivery'], GetItem: ['delivery'], UpdateItem: ['delivery'], DeleteItem: ['delivery'] },
  },
  'deliveries.isDelivered': { table: { GetItem: ['delivery'] } },
  'deliveries.deliveryClaimItem': { table: { PutItem: ['delivery'] } },
  // departments.ts
  'departments.saveDepartment': { table: { UpdateItem: ['directory'], PutItem: ['directory', 'audit'] } },
  'departments.cacheUsergroupMembers': { table: { UpdateItem: ['directory'] } },
  // digests.ts
  'digests.claimDigest': { table: { PutItem: ['digest'], GetItem: ['digest'], UpdateItem: ['digest'] } },
  'digests.markDigestPosted': { table: { UpdateItem: ['digest'] } },
  'digests.releaseDigest': { table: { DeleteItem: ['digest'] } },
  // directory.ts
  'directory.readDirectory': { table: { Query: ['directory'] } },
  'directory.readDirectoryAhead': { table: { Query: ['directory'] } },
  // erase.ts: the worker's erase for retention (kept erase's Scan runs with the operator's credentials)
  'erase.eraseRequest': { table: { Query: ['request'], UpdateItem: ['request', 'stats'] } },
  // kudos.ts
  'kudos.saveKudos': {
    table: {
      PutItem: ['delivery', 'kudosWeek', 'kudosReaction'],
      UpdateItem: ['kudosPerson', 'kudosWeek'],
    },
  },
  'kudos.givenOn': { table: { GetItem: ['kudosPerson'] } },
  'kudos.getKudos': { table: { GetItem: ['kudosWeek'] } },
  'kudos.markKudosDmed': { table: { UpdateItem: ['kudosWeek'] } },
  'kudos.takeBackReaction': {
    table: {
      GetItem: ['kudosReaction', 'kudosWeek'],
      DeleteItem: ['kudosReaction', 'kudosWeek', 'delivery'],
      UpdateItem: ['kudosPerson', 'kudosWeek'],
    },
  },
  'kudos.kudosOfWeek': { table: { Query: ['kudosWeek'] } },
  'kudos.kudosCountsOf': { table: { GetItem: ['kudosWeek', 'kudosPerson'] } },
  'kudos.departmentsOfWeek': { table: { Query: ['kudosWeek'] } },
  'kudos.turnedAroundItem': { table: { PutItem: ['kudosWeek'] } },
  // ledger.ts: the month's TOTAL is updated; entries are only put (attribute_not_exists)
  'ledger.readTotal': { table: { GetItem: ['ledger'] } },
  'ledger.chargeItems': { table: { UpdateItem: ['ledger'], PutItem: ['ledger'] } },
  'ledger.waiverItems': { table: { UpdateItem: ['ledger'], PutItem: ['ledger'] } },
  'ledger.creditItems': { table: { UpdateItem: ['ledger'], PutItem: ['ledger'] } },
  'ledger.readLedger': { table: { Query: ['ledger'] } },
  // request-slack.ts
  'request-slack.findThread': { table: { GetItem: ['thread'] } },
  'request-slack.rememberThread': { table: { PutItem: ['thread'] } },
  'request-slack.rememberDmThread': { table: { PutItem: ['request'] } },
  'request-slack.rememberCard': { table: { PutItem: ['request'] } },
  'request-slack.moveCard': { table: { PutItem: ['request'] } },
  'request-slack.markThreadPosted': { table: { UpdateItem: ['request'] } },
  'request-slack.markDmed': { table: { UpdateItem: ['request'] } },
  'request-slack.markAnnounced': { table: { UpdateItem: ['request'] } },
  'request-slack.takeLock': { table: { PutItem: ['request'] } },
  'request-slack.releaseLock': { table: { DeleteItem: ['request'] } },
  // requests.ts (a change also moves the report counters: stats.statsItems)
  'requests.takeNumber': { table: { UpdateItem: ['directory'] } },
  'requests.saveNewRequest': { table: { PutItem: ['request', 'stats'], UpdateItem: ['stats'] } },
  'requests.saveChange': { table: { PutItem: ['request', 'stats', 'retain'], UpdateItem: ['stats'] } },
  'requests.getRequest': { table: { GetItem: ['request'] } },
  'requests.getRequestWithDepartment': { table: { BatchGetItem: ['request', 'directory'] } },
  'requests.getRequestRecord': { table: { Query: ['request'] } },
  'requests.requestsOf': { indexes: ['gsi2'] },
  'requests.queueOf': { indexes: ['gsi3'] },
  // metrics.ts: a front-line department's weekly customer figures (put whole: the last value counts)
  'metrics.putMetric': { table: { PutItem: ['metric'] } },
  'metrics.readMetrics': { table: { Query: ['metric'] } },
  'metrics.readLoyalty': { table: { Query: ['metric', 'stats'] } },
  // retention.ts
  'retention.markersOf': { table: { Query: ['retain'] } },
  'retention.dropMarker': { table: { DeleteItem: ['retain'] } },
  'retention.readCursor': { table: { GetItem: ['retainCursor'] } },
  'retention.moveCursor': { table: { PutItem: ['retainCursor'] } },
  // reviews.ts: joint reviews (open once per trigger, agree once, follow-ups due by a sparse partition)
  'reviews.openReview': { table: { PutItem: ['review'], GetItem: ['review'], UpdateItem: ['review'] } },
  'reviews.markReviewHanded': { table: { UpdateItem: ['review'] } },
  'reviews.markAgreedHanded': { table: { UpdateItem: ['review'] } },
  'reviews.reviewsOf': { table: { Query: ['review'] } },
  'reviews.getReview': { table: { GetItem: ['review'] } },
  'reviews.agreeReview': { table: { UpdateItem: ['review'], PutItem: ['reviewDue'], GetItem: ['review'] } },
  'reviews.dueFollowUps': { table: { Query: ['reviewDue'] } },
  'reviews.claimFollowUp': { table: { UpdateItem: ['reviewDue'] } },
  'reviews.recordFollowUp': { table: { UpdateItem: ['review'], GetItem: ['review'], DeleteItem: ['reviewDue'] } },
  // signin.ts: a web sign-in link's token (its hash), put once and used once
  'signin.saveSignIn': { table: { PutItem: ['signin'] } },
  'signin.useSignIn': { table: { UpdateItem: ['signin'] } },
  // statements.ts: a month's statement claims (claim, read when refused, take over, mark handed)
  'statements.claimStatement': { table: { PutItem: ['statement'], GetItem: ['statement'], UpdateItem: ['statement'] } },
  'statements.markStatementHanded': { table: { UpdateItem: ['statement'] } },
  'statements.statementClaimsOf': { table: { Query: ['statement'] } },
  // stats.ts
  'stats.readDays': { table: { Query: ['stats'] } },
  'stats.readAdvice': { table: { Query: ['stats'] } },
  'stats.readReport': { table: { Query: ['stats'] } },
  'stats.readCustomerReport': { table: { Query: ['stats'] } },
  'stats.readCompanyReport': { table: { Query: ['stats'] } },
  // subscriptions.ts: weekly report subscriptions (audited) and each week's claim
  'subscriptions.subscribe': { table: { PutItem: ['subscription', 'audit'] } },
  'subscriptions.unsubscribe': {
    table: { GetItem: ['subscription'], DeleteItem: ['subscription'], PutItem: ['audit'] },
  },
  'subscriptions.getSubscription': { table: { GetItem: ['subscription'] } },
  'subscriptions.subscriptionsOf': { table: { Query: ['subscription'] } },
  'subscriptions.claimWeeklyReport': { table: { PutItem: ['subscriptionWeek'] } },
  'subscriptions.markWeeklyReportQueued': { table: { UpdateItem: ['subscriptionWeek'] } },
  'subscriptions.releaseWeeklyReport': { table: { DeleteItem: ['subscriptionWeek'] } },
  // tips.ts
  'tips.readAllTips': { table: { Query: ['tips'] } },
  'tips.tipsForWeek': { table: { Query: ['tips'] } },
  'tips.addCustomTip': { table: { PutItem: ['tips', 'audit'] } },
  'tips.saveTipText': { table: { GetItem: ['tips'], PutItem: ['tips', 'audit'] } },
  'tips.setTipRetired': { table: { GetItem: ['tips'], PutItem: ['tips', 'audit'] } },
} as const satisfies Record<string, Access>;
export type StoreCall = keyof typeof STORE_ACCESS;

export type FunctionName = 'Slack' | 'Scan' | 'Digest' | 'Worker' | 'Web';

/**
 * The store functions each Lambda's code calls. Slack: functions/slack (listeners, app) and
 * functions/services; Worker: functions/jobs/work.ts and the functions/slack/notify-* and file
 * senders it runs; Scan: functions/jobs/scan.ts and breaches.ts; Digest: functions/jobs/digest.ts,
 * digest-content.ts and usergroups.ts; Web: functions/web (the dashboard's pages). The scan and digest Lambdas share one handler module
 * (functions/jobs/scheduled.ts), which runs only the job its schedule's input names.
 */
export const FUNCTION_STORE_CALLS: Record<FunctionName, readonly StoreCall[]> = {
  Slack: [
    'agreements.getAgreementVersion',
    'agreements.saveProposal',
    'agreements.acceptProposal',
    'agreements.declineProposal',
    'audit.auditItems',
    'audit.readAudit',
    'deliveries.once',
    'deliveries.isDelivered',
    'deliveries.deliveryClaimItem',
    'departments.saveDepartment',
    'directory.readDirectory',
    'directory.readDirectoryAhead',
    'kudos.saveKudos',
    'kudos.givenOn',
    'kudos.takeBackReaction',
    'kudos.kudosCountsOf',
    'kudos.departmentsOfWeek',
    'kudos.turnedAroundItem',
    'ledger.waiverItems',
    'ledger.creditItems',
    'metrics.readLoyalty',
    'request-slack.findThread',
    'requests.takeNumber',
    'requests.saveNewRequest',
    'requests.saveChange',
    'requests.getRequest',
    'requests.getRequestWithDepartment',
    'requests.getRequestRecord',
    'requests.requestsOf',
    'requests.queueOf',
    'signin.saveSignIn',
    'stats.readAdvice',
    'stats.readCompanyReport',
    'stats.readCustomerReport',
    'stats.readReport',
    'subscriptions.subscribe',
    'subscriptions.unsubscribe',
    'subscriptions.getSubscription',
    'subscriptions.subscriptionsOf',
    'tips.readAllTips',
    'tips.addCustomTip',
    'tips.saveTipText',
    'tips.setTipRetired',
    'reviews.getReview',
    'reviews.agreeReview',
    'reviews.markAgreedHanded',
    'reviews.reviewsOf',
  ],
  Worker: [
    'agreements.getAgreementVersion',
    'agreements.rememberMessage',
    'checks.settleCheck',
    'deliveries.once',
    'departments.cacheUsergroupMembers',
    'departments.saveDepartment',
    'directory.readDirectory',
    'erase.eraseRequest',
    'kudos.getKudos',
    'kudos.markKudosDmed',
    'ledger.readLedger',
    'request-slack.rememberThread',
    'request-slack.rememberDmThread',
    'request-slack.rememberCard',
    'request-slack.moveCard',
    'request-slack.markThreadPosted',
    'request-slack.markDmed',
    'request-slack.markAnnounced',
    'request-slack.takeLock',
    'request-slack.releaseLock',
    'requests.getRequest',
    'requests.getRequestRecord',
    'requests.queueOf',
    'requests.saveChange',
    'retention.dropMarker',
    'stats.readAdvice',
    'stats.readCustomerReport',
    'stats.readDays',
    'stats.readReport',
    'subscriptions.getSubscription',
    'subscriptions.unsubscribe',
    'reviews.getReview',
    'reviews.recordFollowUp',
  ],
  Scan: [
    'agreements.getAgreementVersion',
    'checks.dueChecks',
    'checks.postponeCheck',
    'checks.settleCheck',
    'directory.readDirectory',
    'ledger.readTotal',
    'ledger.chargeItems',
    'requests.getRequest',
    'requests.getRequestRecord',
    'requests.saveChange',
  ],
  Web: [
    'directory.readDirectory',
    'ledger.readLedger',
    'requests.getRequestRecord',
    'signin.useSignIn',
    'metrics.readLoyalty',
    'stats.readCompanyReport',
    'stats.readDays',
    'stats.readReport',
  ],
  Digest: [
    'digests.claimDigest',
    'digests.markDigestPosted',
    'digests.releaseDigest',
    'directory.readDirectory',
    'kudos.kudosOfWeek',
    'metrics.readLoyalty',
    'requests.queueOf',
    'retention.markersOf',
    'retention.moveCursor',
    'retention.readCursor',
    'statements.claimStatement',
    'statements.markStatementHanded',
    'statements.statementClaimsOf',
    'stats.readDays',
    'subscriptions.claimWeeklyReport',
    'subscriptions.markWeeklyReportQueued',
    'subscriptions.releaseWeeklyReport',
    'subscriptions.subscriptionsOf',
    'tips.tipsForWeek',
    'ledger.readLedger',
    'ledger.readTotal',
    'requests.getRequest',
    'reviews.openReview',
    'reviews.markReviewHanded',
    'reviews.markAgreedHanded',
    'reviews.reviewsOf',
    'reviews.dueFollowUps',
    'reviews.claimFollowUp',
  ],
};

const ACTION_ORDER: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];
const PARTITION_ORDER = Object.keys(PARTITIONS) as Partition[];

/** A function's grant: per action the partitions it may touch (in a fixed order), and the indexes it queries. */
export interface FunctionGrant {
  readonly table: ReadonlyMap<TableAction, readonly Partition[]>;
  readonly indexes: readonly IndexName[];
}

/** The union of the accesses of `calls`. */
export function grantFor(calls: readonly StoreCall[]): FunctionGrant {
  const table = new Map<TableAction, Set<Partition>>();
  const indexes = new Set<IndexName>();
  for (const call of calls) {
    const access: Access = STORE_ACCESS[call];
    for (const [action, partitions] of Object.entries(access.table ?? {}) as [TableAction, Partition[]][]) {
      const set = table.get(action) ?? new Set<Partition>();
      for (const p of partitions) set.add(p);
      table.set(action, set);
    }
    for (const i of access.indexes ?? []) indexes.add(i);
  }
  return {
    table: new Map(
      ACTION_ORDER.filter((a) => table.has(a)).map((a) => [a, PARTITION_ORDER.filter((p) => table.get(a)!.has(p))]),
    ),
    indexes: (['gsi1', 'gsi2', 'gsi3'] as const).filter((i) => indexes.has(i)),
  };
}
