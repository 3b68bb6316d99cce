import type { PaymentMethod } from '../payment/payment-method';
import type { PaymentGateway } from '../ports/payment-gateway.port';

/**
 * What an adapter hands `paymentGatewayContract()` so the one contract suite can drive it: the
 * gateway under test, the payment methods that make it answer each way, faults to inject, a way to
 * count what the gateway really did, and time control.
 *
 * Real connectors build this over their PSP stub (the stub decides outcomes from the PSP's
 * documented test payment methods, and exposes its ledger and fault injection); simulated gateways
 * over their own controls.
 */
export interface PaymentGatewayContractSubject {
  readonly gateway: PaymentGateway;
  /** A currency the gateway accepts, with two decimals (EUR, USD…). */
  readonly currency: string;
  /** Payment methods whose charges the gateway approves, hard-declines, soft-declines. */
  readonly methods: {
    readonly approve: PaymentMethod;
    readonly hardDecline: PaymentMethod;
    readonly softDecline: PaymentMethod;
    /** One that makes the gateway ask for customer action (3-D Secure), when it can. */
    readonly requiresAction?: PaymentMethod;
  };
  /** Faults applied to the next call the gateway receives (charge, refund or lookup alike). */
  readonly faults: {
    /** The next call fails before deciding (a 5xx, a 429): nothing is charged or refunded. */
    failNextCall(): void;
    /** The next call is carried out, then its answer is lost on the way back. */
    loseNextAnswer(): void;
  };
  /**
   * How many times the gateway really moved money for the charge `reference` (0 or 1 for a
   * correct gateway), and what it refunded on it, from the gateway's own records.
   */
  ledger(reference: string): Promise<{ readonly charges: number; readonly refundedMinor: number }>;
  /**
   * Moves the gateway's time and ours forward by `ms` (a virtual clock) — used to pass a request's
   * deadline. Subjects on real time may omit it; the deadline cases are then skipped with a reason.
   */
  advance?(ms: number): Promise<void>;
  /** The current time of the clock deadlines are measured on (epoch ms). */
  now(): number;
  /** Frees what the subject holds (servers, files, timers). */
  dispose(): Promise<void>;
}

/** Builds a fresh subject for each test (a new gateway over a new, empty ledger). */
export type PaymentGatewayContractFactory = () => Promise<PaymentGatewayContractSubject>;
