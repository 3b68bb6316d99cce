export { ScriptedGateway, ScriptedTransportError, type ScriptedBehaviour, type ScriptedCharge, type ScriptedRefundBehaviour } from './scripted-gateway';
export {
  createOrchestratorHarness,
  type HarnessDependencies,
  type HarnessPersistence,
  type OrchestratorHarness,
  type OrchestratorHarnessOptions,
} from './orchestrator-harness';
export { orchestratorContract, type OrchestratorContractFixture } from './orchestrator.contract';
export { paymentIdOf, storedOf } from './result-helpers';
