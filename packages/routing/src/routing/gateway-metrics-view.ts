import type { GatewayType } from '@aegispay/domain';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import type { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';

/**
 * The `metrics` map a rule receives: the available gateways, each with its window metrics,
 * fetched from the collector only when the rule reads them (most rules' conditions do not hold,
 * and most that hold read one or two gateways).
 */
export class GatewayMetricsView implements ReadonlyMap<GatewayType, GatewayMetrics> {
  constructor(
    private readonly collector: GatewayMetricsCollector,
    private readonly gateways: readonly GatewayType[],
  ) {}

  get size(): number {
    return this.gateways.length;
  }

  get(gateway: GatewayType): GatewayMetrics | undefined {
    return this.gateways.includes(gateway) ? this.collector.getMetrics(gateway) : undefined;
  }

  has(gateway: GatewayType): boolean {
    return this.gateways.includes(gateway);
  }

  forEach(callback: (value: GatewayMetrics, key: GatewayType, map: ReadonlyMap<GatewayType, GatewayMetrics>) => void, thisArg?: unknown): void {
    for (const gateway of this.gateways) callback.call(thisArg, this.collector.getMetrics(gateway), gateway, this);
  }

  *entries(): MapIterator<[GatewayType, GatewayMetrics]> {
    for (const gateway of this.gateways) yield [gateway, this.collector.getMetrics(gateway)];
  }

  *keys(): MapIterator<GatewayType> {
    yield* this.gateways;
  }

  *values(): MapIterator<GatewayMetrics> {
    for (const gateway of this.gateways) yield this.collector.getMetrics(gateway);
  }

  [Symbol.iterator](): MapIterator<[GatewayType, GatewayMetrics]> {
    return this.entries();
  }
}
