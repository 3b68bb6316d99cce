import { FaultInjectingGateway, paymentGatewayContract } from '@aegispay/domain/testing';
import { recordingSubject } from './__fixtures__/recording-subject';
import { ChaosGateway } from './chaos.gateway';
import { withChaosFaults } from './testing';

/*
 * The chaos wrapper runs the domain's gateway contract around an honest in-memory acquirer
 * (RecordingGateway; tools/integration runs it around the simulated acquirers too).
 *
 * Which injections keep the contract: latency (calls are slower, abortable, and still arrive
 * before their deadlines) and a connection pool large enough for the contract's concurrency. The
 * others make cases inapplicable by design, not by fault: an injected error, a BEFORE timeout, an
 * intermittent burst, a cascade or pool exhaustion turns "approve" into a technical failure (the
 * approval, replay, refund and lookup cases expect the gateway's own answer), and an AFTER timeout
 * turns it into an unknown outcome. Those injections are still checked for honesty: the third
 * run uses them as the contract's faults — an injected 503 must have moved nothing, an AFTER
 * timeout must leave a charge that getStatus finds.
 */
const EVERY_OPERATION = ['charge', 'refund', 'getStatus', 'getRefundStatus'] as const;

paymentGatewayContract('ChaosGateway, chaos disabled (faults from the gateway inside)', async () =>
  recordingSubject((recording, clock) => {
    const faulty = new FaultInjectingGateway(recording, { mode: 'THROW' });
    return { gateway: new ChaosGateway(faulty, { enabled: false, seed: 7, failureRate: 0.5 }, { clock }), faults: faulty.faults };
  }),
);

paymentGatewayContract('ChaosGateway, seeded latency and a connection pool (faults from the gateway inside)', async () =>
  recordingSubject((recording, clock) => {
    const faulty = new FaultInjectingGateway(recording);
    const chaos = new ChaosGateway(
      faulty,
      { seed: 20_260_101, latencyRate: 0.5, latencyMs: { min: 1, max: 2_000 }, resourcePool: { size: 8 }, operations: EVERY_OPERATION },
      { clock },
    );
    return { gateway: chaos, faults: faulty.faults };
  }),
);

paymentGatewayContract('ChaosGateway, its own injections as the faults', async () => recordingSubject((recording, clock) => withChaosFaults(recording, clock)));
