import { OptionChecks } from '@aegispay/domain';

/** @internal The option checks of every resilience policy: `InvalidOptionError` with `RESILIENCE.INVALID_OPTION`. */
export const check = new OptionChecks('RESILIENCE.INVALID_OPTION');
