/**
 * `orchestration_cpu_us` of the pipeline benchmark (issue 14 §3): the CPU time the orchestrator
 * adds to a payment, measured as process CPU time (`process.cpuUsage`, user + system) over many
 * payments, not as wall time. See the header of `pipeline.bench.ts` for what is subtracted and why.
 *
 * Everything runs in memory on one thread, one payment at a time: the `@aegispay/locking`
 * in-memory stores (payments with their outbox, idempotency keys) under an `InMemoryUnitOfWork`,
 * a zero-latency simulated acquirer that approves every card. Each round builds fresh stores for
 * each loop, so both loops hold the same amount of live data and pay the same garbage collection.
 */
import {
  CryptoIdGenerator,
  CryptoRandom,
  Payment,
  SystemClock,
  type CreatePaymentInput,
  type IdGenerator,
  type JsonValue,
  type PaymentGateway,
  type Random,
} from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { createSimulatedGateways } from '@aegispay/gateways';
import { HookExecutor, HookRegistry } from '@aegispay/hooks';
import { InMemoryIdempotencyStore, InMemoryOutboxStore, InMemoryPaymentRepository, InMemoryUnitOfWork } from '@aegispay/locking';
import { PaymentOrchestrator, requestFingerprint } from '@aegispay/orchestrator';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';

/** A loop that takes `count` payments, one at a time. */
export type PaymentLoop = (count: number) => Promise<void>;

const clock = new SystemClock();
const random: Random = new CryptoRandom();
const ids: IdGenerator = new CryptoIdGenerator();

let sequence = 0;
/** A valid request (`aPaymentRequest`) with a fresh idempotency key `<prefix>-<pid>-<n>`, by a card the simulated acquirers approve. */
export function benchPaymentRequest(prefix = 'bench'): CreatePaymentInput {
  sequence += 1;
  return aPaymentRequest({ merchantId: 'merchant_bench', paymentMethod: { type: 'CARD', token: 'tok_approve_visa' }, idempotencyKey: `${prefix}-${process.pid}-${sequence}` });
}
const request = (): CreatePaymentInput => benchPaymentRequest('cpu');

function approvingGateways(): PaymentGateway[] {
  const profiles = Object.fromEntries(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'].map((name) => [name, { approvalRate: 1, technicalFailureRate: 0 }]));
  return Object.values(createSimulatedGateways({ clock, random, ids, zeroLatency: true, profiles }));
}

function memoryStores(): { repository: InMemoryPaymentRepository; idempotency: InMemoryIdempotencyStore; outbox: InMemoryOutboxStore; unitOfWork: InMemoryUnitOfWork } {
  const outbox = new InMemoryOutboxStore({ clock });
  return { outbox, repository: new InMemoryPaymentRepository({ clock, outbox }), idempotency: new InMemoryIdempotencyStore({ clock }), unitOfWork: new InMemoryUnitOfWork() };
}

/** The whole pipeline as the app composes it (hooks executor with no hooks registered), over fresh in-memory stores. */
export function orchestratorLoop(): PaymentLoop {
  const stores = memoryStores();
  const gateways = approvingGateways();
  const metrics = new GatewayMetricsCollector({ clock });
  // Built as a variable, not a literal in the call: ports the orchestrator does not (yet) take are ignored.
  const dependencies = {
    ...stores,
    gateways,
    routing: new IntelligentRoutingEngine(metrics, { clock, random }),
    metrics,
    breakers: new CircuitBreakerManager({ clock, gateways: gateways.map((gateway) => gateway.name) }),
    hooks: new HookExecutor(new HookRegistry(), { clock }),
    clock,
    random,
    ids,
  };
  const orchestrator = new PaymentOrchestrator(dependencies);
  return async (count) => {
    for (let i = 0; i < count; i += 1) {
      const result = await orchestrator.processPayment(request());
      if (result.outcome !== 'SUCCEEDED') throw new Error(`orchestrator: unexpected ${result.outcome}`);
    }
  };
}

/**
 * The floor under any pipeline for one approved payment with an idempotency key: the domain work
 * and the writes it cannot do without, straight on the ports — claim the key, insert the payment,
 * `PROCESSING` by compare-and-swap (one unit of work), one charge at a zero-latency gateway,
 * the attempt and `PAID` by compare-and-swap and the key's answer (a second unit of work).
 */
function floorLoop(): PaymentLoop {
  const { repository, idempotency, unitOfWork } = memoryStores();
  const gateway = approvingGateways()[0] as PaymentGateway;
  const deps = { clock, ids };
  return async (count) => {
    for (let i = 0; i < count; i += 1) {
      const input = request();
      const payment = Payment.create(input, deps);
      const key = payment.idempotencyKey as string;
      const processing = await unitOfWork.run(async () => {
        await idempotency.begin(payment.merchantId, key, requestFingerprint(input));
        const stored = await repository.insert(payment);
        stored.startProcessing();
        return (await repository.updateWithVersion(stored.id, stored, stored.version)).entity as Payment;
      });
      const reference = `${processing.id}:1`;
      const answer = await gateway.charge({ reference, paymentId: processing.id, merchantId: processing.merchantId, amount: processing.money, paymentMethod: processing.paymentMethod });
      if (answer.outcome !== 'APPROVED') throw new Error(`gateway: unexpected ${answer.outcome}`);
      await unitOfWork.run(async () => {
        processing.recordAttempt({ gateway: gateway.name, reference, outcome: 'APPROVED', latencyMs: 0, gatewayReference: answer.gatewayReference });
        processing.markSucceeded({ gateway: gateway.name, gatewayReference: answer.gatewayReference });
        const paid = (await repository.updateWithVersion(processing.id, processing, processing.version)).entity as Payment;
        await idempotency.complete(paid.merchantId, key, { outcome: 'SUCCEEDED', payment: paid.toSnapshot() } as unknown as JsonValue);
      });
    }
  };
}

/** One zero-latency charge per payment, nothing else: the gateway's share of the floor. */
function chargeLoop(): PaymentLoop {
  const gateway = approvingGateways()[0] as PaymentGateway;
  return async (count) => {
    for (let i = 0; i < count; i += 1) {
      const payment = Payment.create(request(), { clock, ids });
      await gateway.charge({ reference: `${payment.id}:1`, paymentId: payment.id, merchantId: payment.merchantId, amount: payment.money, paymentMethod: payment.paymentMethod });
    }
  };
}

async function cpuMicrosPerPayment(loop: PaymentLoop, count: number): Promise<number> {
  const before = process.cpuUsage();
  await loop(count);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** What {@link measureOrchestrationCpu} found, CPU µs per payment (medians over rounds). */
export interface OrchestrationCpu {
  readonly pipelineUs: number;
  readonly floorUs: number;
  readonly chargeUs: number;
  /** Median over rounds of (pipeline − floor) in the same round. */
  readonly orchestrationUs: number;
  readonly perRound: readonly { pipelineUs: number; floorUs: number }[];
  readonly payments: number;
  readonly rounds: number;
}

/**
 * Warms both loops up (`warmup` payments each), then runs `rounds` rounds of `payments`
 * payments through each loop, alternating which goes first, on fresh stores every round.
 */
export async function measureOrchestrationCpu(payments: number, rounds: number, warmup = Math.min(payments, 5_000)): Promise<OrchestrationCpu> {
  await orchestratorLoop()(warmup);
  await floorLoop()(warmup);
  await chargeLoop()(warmup);
  const perRound: { pipelineUs: number; floorUs: number }[] = [];
  const charges: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const pipeline = orchestratorLoop();
    const floor = floorLoop();
    let pipelineUs: number;
    let floorUs: number;
    if (r % 2 === 0) {
      pipelineUs = await cpuMicrosPerPayment(pipeline, payments);
      floorUs = await cpuMicrosPerPayment(floor, payments);
    } else {
      floorUs = await cpuMicrosPerPayment(floor, payments);
      pipelineUs = await cpuMicrosPerPayment(pipeline, payments);
    }
    perRound.push({ pipelineUs, floorUs });
    charges.push(await cpuMicrosPerPayment(chargeLoop(), Math.max(1, payments >> 2)));
  }
  return {
    pipelineUs: median(perRound.map((x) => x.pipelineUs)),
    floorUs: median(perRound.map((x) => x.floorUs)),
    chargeUs: median(charges),
    orchestrationUs: median(perRound.map((x) => x.pipelineUs - x.floorUs)),
    perRound,
    payments,
    rounds,
  };
}
