export { scriptedOperation, type ScriptStep } from './scripted-operation';
export { deferred, type Deferred } from './deferred';
export { aDeclinedCharge, aTechnicalFailure, anApprovedCharge, anUnknownOutcome } from './charge-results';
