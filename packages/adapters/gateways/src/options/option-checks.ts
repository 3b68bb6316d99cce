import { OptionChecks } from '@aegispay/domain';

/** @internal The option checks of the simulated gateways: `InvalidOptionError` with `GATEWAY.INVALID_OPTION`. */
export const check = new OptionChecks('GATEWAY.INVALID_OPTION');
