import { FaultInjectingGateway, paymentGatewayContract } from '@aegispay/domain/testing';
import { recordingSubject } from '../__fixtures__/recording-subject';

/*
 * RecordingGateway stands in for a real acquirer in chaos experiments, so it runs the domain's
 * gateway contract: outcomes by payment method token (customer action included), 50 ms a call on
 * virtual time that moves by itself, faults in front of it.
 */
paymentGatewayContract('RecordingGateway', async () =>
  recordingSubject((recording) => {
    const gateway = new FaultInjectingGateway(recording);
    return { gateway, faults: gateway.faults };
  }),
);
