export { ScriptedGateway, ScriptedTransportError, type ScriptedBehaviour, type ScriptedCharge } from './scripted-gateway';
export { createOrchestratorHarness, type OrchestratorHarness, type OrchestratorHarnessOptions } from './orchestrator-harness';
