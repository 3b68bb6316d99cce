import { SIMULATED_ACQUIRERS, type SimulatedAcquirer } from '@aegispay/gateways';

/**
 * The connectors to real payment service providers, by the gateway name they run under, with the
 * settings group that configures each (`stripe`, `adyen`: the configuration file's key, the
 * `AEGISPAY_<GROUP>_*` variables) — also the segment of its webhook route,
 * `POST /v1/psp-webhooks/<group>`. Their names differ from the simulated acquirers' (`STRIPE`,
 * `ADYEN`), so a simulation and the real PSP can run side by side and a name never means both.
 */
export const PSP_CONNECTORS = Object.freeze({ STRIPE_PSP: 'stripe', ADYEN_PSP: 'adyen' } as const);

/** A connector's gateway name: `STRIPE_PSP` or `ADYEN_PSP`. */
export type PspConnectorName = keyof typeof PSP_CONNECTORS;

/** A connector's settings group (and webhook route segment): `stripe` or `adyen`. */
export type PspSettingsGroup = (typeof PSP_CONNECTORS)[PspConnectorName];

export const PSP_CONNECTOR_NAMES = Object.freeze(Object.keys(PSP_CONNECTORS) as PspConnectorName[]);

/** Every name `AEGISPAY_GATEWAYS` accepts: the simulated acquirers, then the connectors. */
export const GATEWAY_NAMES = Object.freeze([...SIMULATED_ACQUIRERS, ...PSP_CONNECTOR_NAMES] as const);

/** A gateway the configuration can name. */
export type GatewayName = SimulatedAcquirer | PspConnectorName;

/** Whether `name` is one of the connectors to a real PSP. */
export function isPspConnector(name: string): name is PspConnectorName {
  return Object.prototype.hasOwnProperty.call(PSP_CONNECTORS, name);
}

/** Whether `name` is one of the simulated acquirers. */
export function isSimulatedAcquirer(name: string): name is SimulatedAcquirer {
  return (SIMULATED_ACQUIRERS as readonly string[]).includes(name);
}
