import type { ChargeRequest, ChargeResult, ChargeStatusQuery, ChargeStatusResult, PaymentGateway, RefundRequest, RefundResult, RefundStatusQuery, RefundStatusResult } from '@aegispay/domain';

/** What a gateway answered the charges and lookups sent to it. */
export interface GatewayCounts {
  /** Charges sent. */
  charges: number;
  /** Charges answered with each outcome (`APPROVED`, `DECLINED`, `TECHNICAL_FAILURE`, `UNKNOWN`…), or `THROWN`. */
  readonly outcomes: Record<string, number>;
  /** Status lookups made, and how many of them found the charge approved. */
  lookups: number;
  lookupsApproved: number;
}

/**
 * A gateway that counts what it is asked and what it answers, for the demo's report: how many
 * answers were lost (`UNKNOWN`) and how many lookups at the PSP settled them. Passes everything
 * through unchanged.
 */
export class CountingGateway implements PaymentGateway {
  readonly counts: GatewayCounts = { charges: 0, outcomes: {}, lookups: 0, lookupsApproved: 0 };

  constructor(private readonly inner: PaymentGateway) {}

  get name(): string {
    return this.inner.name;
  }

  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    this.counts.charges += 1;
    try {
      const result = await this.inner.charge(request, signal);
      this.count(result.outcome);
      return result;
    } catch (error) {
      this.count('THROWN');
      throw error;
    }
  }

  async getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    this.counts.lookups += 1;
    const status = await this.inner.getStatus(query, signal);
    if (status.status === 'APPROVED') this.counts.lookupsApproved += 1;
    return status;
  }

  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    return this.inner.refund(request, signal);
  }

  getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    return this.inner.getRefundStatus(query, signal);
  }

  private count(outcome: string): void {
    this.counts.outcomes[outcome] = (this.counts.outcomes[outcome] ?? 0) + 1;
  }
}
