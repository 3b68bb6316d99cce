import { EventEmitter } from 'node:events';
import { ChaosGateway } from '@aegispay/chaos';
import { withChaosFaults } from '@aegispay/chaos/testing';
import { FaultInjectingGateway, paymentGatewayContract } from '@aegispay/domain/testing';
import { simulatedGatewayContractSubject } from '@aegispay/gateways/testing';
import { IpcGateway, serveGateways, type IpcEndpoint } from './support/ipc-gateway';

/*
 * The domain's gateway contract, run by the adapters that wrap a simulated acquirer here, where
 * every package may be used (chaos may not import the simulated gateways; it runs the contract
 * around its RecordingGateway itself).
 *
 * ChaosGateway: chaos disabled; seeded latency and a connection pool, the injections that keep
 * the contract (errors, timeouts, bursts, cascades and pool exhaustion turn an approval into a
 * technical failure or an unknown outcome, so the other cases do not apply while they are on);
 * and chaos's own injections as the faults, which checks they are honest. The faults of the
 * first two sit inside the wrapper, so it must pass on what its gateway did.
 *
 * IpcGateway (the crash test's gateway in another process): over an in-memory channel that
 * serialises every message and delivers it on a later turn of the event loop, as IPC does; the
 * faults sit on the serving side and are thrown, so transport errors must cross the channel typed.
 */
const EVERY_OPERATION = ['charge', 'refund', 'getStatus', 'getRefundStatus'] as const;

paymentGatewayContract('ChaosGateway around a simulated acquirer, chaos disabled', async () =>
  simulatedGatewayContractSubject({
    acquirer: 'PAYPAL',
    wrap: (simulated, clock) => {
      const faulty = new FaultInjectingGateway(simulated, { mode: 'THROW' });
      return { gateway: new ChaosGateway(faulty, { enabled: false, seed: 7, failureRate: 1 }, { clock }), faults: faulty.faults };
    },
  }),
);

paymentGatewayContract('ChaosGateway around a simulated acquirer, seeded latency and a connection pool', async () =>
  simulatedGatewayContractSubject({
    acquirer: 'ADYEN',
    wrap: (simulated, clock) => {
      const faulty = new FaultInjectingGateway(simulated);
      const config = { seed: 20_260_101, latencyRate: 0.5, latencyMs: { min: 1, max: 2_000 }, resourcePool: { size: 8 }, operations: EVERY_OPERATION };
      return { gateway: new ChaosGateway(faulty, config, { clock }), faults: faulty.faults };
    },
  }),
);

paymentGatewayContract('ChaosGateway around a simulated acquirer, its own injections as the faults', async () =>
  simulatedGatewayContractSubject({ acquirer: 'SQUARE', wrap: (simulated, clock) => withChaosFaults(simulated, clock, 5_000) }),
);

/** Two linked ends of an IPC channel in this process: each message is serialised and delivered on a later turn. */
function ipcLink(): { readonly client: IpcEndpoint; readonly server: IpcEndpoint; close(): void } {
  const toClient = new EventEmitter();
  const toServer = new EventEmitter();
  let connected = true;
  const end = (inbox: EventEmitter, outbox: EventEmitter): IpcEndpoint => ({
    send: (message) => {
      const copy: unknown = JSON.parse(JSON.stringify(message));
      setImmediate(() => outbox.emit('message', copy));
      return true;
    },
    on: (_event, listener) => inbox.on('message', listener),
    get connected() {
      return connected;
    },
  });
  return {
    client: end(toClient, toServer),
    server: end(toServer, toClient),
    close: () => {
      connected = false;
      toClient.removeAllListeners();
      toServer.removeAllListeners();
    },
  };
}

paymentGatewayContract('IpcGateway to a simulated acquirer in another process', async () => {
  const link = ipcLink();
  const subject = simulatedGatewayContractSubject({
    acquirer: 'STRIPE',
    wrap: (simulated) => {
      const faulty = new FaultInjectingGateway(simulated, { mode: 'THROW' });
      serveGateways(link.server, [faulty]);
      return { gateway: new IpcGateway('STRIPE', link.client), faults: faulty.faults };
    },
  });
  return {
    ...subject,
    dispose: async () => {
      link.close();
      await subject.dispose();
    },
  };
});
