// Simulated gateways
export { SimulatedGateway } from './gateway/simulated-gateway';
export type {
  DegradeOptions,
  DownMode,
  GatewayAvailability,
  GatewayCallStats,
  GatewayControlState,
  LatencyOptions,
  SimulatedGatewayOptions,
  SimulatedGatewayPorts,
  SimulatedGatewayProfile,
} from './gateway/simulated-gateway.options';

// The four acquirers
export { StripeGateway } from './acquirers/stripe.gateway';
export { PayPalGateway } from './acquirers/paypal.gateway';
export { SquareGateway } from './acquirers/square.gateway';
export { AdyenGateway } from './acquirers/adyen.gateway';
export type { SimulatedAcquirerOptions } from './acquirers/acquirer-options';
export { SIMULATED_ACQUIRERS, SIMULATED_GATEWAY_PROFILES, type SimulatedAcquirer } from './acquirers/acquirer-profiles';
export {
  createSimulatedGateways,
  type SimulatedGateways,
  type SimulatedGatewaysOptions,
} from './acquirers/create-simulated-gateways';

// Simulation building blocks
export {
  DECLINE_CODES,
  APPROVE_TOKEN_PREFIX,
  DECLINE_TOKEN_PREFIX,
  DEFAULT_DECLINE_MIX,
  isKnownDeclineCode,
  type DeclineMixEntry,
  type KnownDeclineCode,
} from './simulation/decline-codes';
export {
  CONNECTION_RESET,
  DEFAULT_TECHNICAL_FAILURE_MIX,
  SERVICE_UNAVAILABLE,
  type TechnicalFailureMixEntry,
} from './simulation/technical-failures';
export { FeeSchedule, type FeeRate, type FeeScheduleOptions } from './simulation/fee-schedule';
export { LogNormalLatency, inverseStandardNormal, type LogNormalLatencyOptions } from './simulation/latency-distribution';

// Ledgers
export type { InspectableLedger, LedgerEntry, LedgerOutcome, LedgerRefund } from './ledger/ledger-entry';
export type { LedgerSources } from './ledger/ledger-sources';
export { findDoubleCharges, type DoubleCharge, type FindDoubleChargesOptions } from './ledger/find-double-charges';
export { summarizeLedger, totalsByGateway, type CurrencyTotals, type LedgerTotals } from './ledger/ledger-totals';

// Errors
export { InvalidGatewayRequestError, ReferenceReusedError } from './errors/gateway.errors';
