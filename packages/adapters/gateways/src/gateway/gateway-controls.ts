import { check } from '../options/option-checks';
import { Blackhole } from './blackhole';
import type { DegradeOptions, DownMode, GatewayAvailability, GatewayControlState } from './simulated-gateway.options';

/**
 * @internal The run-time controls of one simulated gateway: its rates (degraded or the
 * profile's), latency added on top of the profile's, and whether it answers — with the requests a
 * `BLACKHOLE` holds, answered when it stops. `SimulatedGateway` documents each control.
 */
export class GatewayControls {
  private approval: number;
  private technicalFailure: number;
  private extraLatency = 0;
  private mode: GatewayAvailability = 'UP';
  private readonly blackhole = new Blackhole();

  constructor(
    private readonly baseApprovalRate: number,
    private readonly baseTechnicalFailureRate: number,
  ) {
    this.approval = baseApprovalRate;
    this.technicalFailure = baseTechnicalFailureRate;
  }

  get approvalRate(): number {
    return this.approval;
  }

  get technicalFailureRate(): number {
    return this.technicalFailure;
  }

  get extraLatencyMs(): number {
    return this.extraLatency;
  }

  get availability(): GatewayAvailability {
    return this.mode;
  }

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when a rate is outside [0, 1]; nothing changes then. */
  degrade(changes: DegradeOptions): void {
    check.object('changes', changes, {});
    const approvalRate = check.rate('approvalRate', changes.approvalRate, this.approval);
    const technicalFailureRate = check.rate('technicalFailureRate', changes.technicalFailureRate, this.technicalFailure);
    this.approval = approvalRate;
    this.technicalFailure = technicalFailureRate;
  }

  restoreRates(): void {
    this.approval = this.baseApprovalRate;
    this.technicalFailure = this.baseTechnicalFailureRate;
  }

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when `ms` is negative or not finite. */
  addLatency(ms: number): void {
    this.extraLatency += check.number('ms', ms, 0, { min: 0 });
  }

  removeLatency(): void {
    this.extraLatency = 0;
  }

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when `mode` is not a {@link DownMode}. */
  takeDown(mode: DownMode): void {
    check.oneOf('mode', mode, undefined, ['FAST_FAIL', 'BLACKHOLE']);
    this.mode = mode;
    if (mode !== 'BLACKHOLE') this.blackhole.releaseAll();
  }

  /** Answers every request the blackhole holds. */
  bringUp(): void {
    this.mode = 'UP';
    this.blackhole.releaseAll();
  }

  /** Holds a request in the blackhole: it answers `onRelease` when the gateway stops swallowing, or rejects when `signal` aborts. */
  swallow<T>(onRelease: T, signal: AbortSignal | undefined): Promise<T> {
    return this.blackhole.swallow(onRelease, signal);
  }

  state(): GatewayControlState {
    return Object.freeze({
      availability: this.mode,
      approvalRate: this.approval,
      technicalFailureRate: this.technicalFailure,
      extraLatencyMs: this.extraLatency,
    });
  }
}
