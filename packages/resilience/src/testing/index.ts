export { scriptedOperation, type ScriptStep } from './scripted-operation';
export { aDeclinedCharge, aTechnicalFailure, anApprovedCharge, anUnknownOutcome } from './charge-results';
