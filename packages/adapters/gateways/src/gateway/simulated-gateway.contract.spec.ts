import { FaultInjectingGateway, paymentGatewayContract } from '@aegispay/domain/testing';
import { SIMULATED_ACQUIRERS } from '../acquirers/acquirer-profiles';
import { simulatedGatewayContractSubject } from '../testing';

/*
 * The domain's gateway contract, run by the four simulated acquirers with their own latency, fees
 * and approval rates, on virtual time that moves by itself, with a seeded Random (see
 * simulatedGatewayContractSubject). A simulated acquirer has no fault injection of its own (losing
 * an answer is chaos's job), so the faults come from a FaultInjectingGateway in front of it — half
 * of the acquirers report them as values, half as thrown transport errors.
 */
for (const [index, acquirer] of SIMULATED_ACQUIRERS.entries()) {
  paymentGatewayContract(`simulated ${acquirer}`, async () =>
    simulatedGatewayContractSubject({
      acquirer,
      seed: 20_260_101 + index,
      wrap: (simulated) => {
        const gateway = new FaultInjectingGateway(simulated, { mode: index % 2 === 0 ? 'RESULT' : 'THROW' });
        return { gateway, faults: gateway.faults };
      },
    }),
  );
}
