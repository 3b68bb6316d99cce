import { FakeClock, SeededRandom, SequentialIdGenerator } from '@aegispay/domain/testing';
import { createSimulatedGateways, type SimulatedGateways, type SimulatedGatewaysOptions } from '../acquirers/create-simulated-gateways';
import { SimulatedGateway } from '../gateway/simulated-gateway';
import type { SimulatedGatewayProfile } from '../gateway/simulated-gateway.options';

/** The deterministic ports of a test simulation. */
export interface TestPorts {
  readonly clock: FakeClock;
  readonly random: SeededRandom;
  readonly ids: SequentialIdGenerator;
}

/**
 * The four simulated acquirers on a {@link FakeClock}, a {@link SeededRandom} (seed 42 unless
 * given) and a {@link SequentialIdGenerator}: the same calls give the same results on every run.
 * Move time with `await clock.advance(ms)`.
 */
export function createTestGateways(
  options: Omit<SimulatedGatewaysOptions, 'clock' | 'random' | 'ids'> & { readonly seed?: number } = {},
): TestPorts & { readonly gateways: SimulatedGateways } {
  const { seed = 42, ...rest } = options;
  const ports: TestPorts = { clock: new FakeClock(), random: new SeededRandom(seed), ids: new SequentialIdGenerator() };
  return { ...ports, gateways: createSimulatedGateways({ ...rest, ...ports }) };
}

/**
 * One simulated gateway named `name` (default `TEST`) on deterministic ports (seed 42 unless
 * given). With no profile fields it approves everything at once; give rates and latency to
 * shape it.
 */
export function createTestGateway(
  profile: SimulatedGatewayProfile & { readonly name?: string; readonly seed?: number } = {},
): TestPorts & { readonly gateway: SimulatedGateway } {
  const { seed = 42, name = 'TEST', ...rest } = profile;
  const ports: TestPorts = { clock: new FakeClock(), random: new SeededRandom(seed), ids: new SequentialIdGenerator() };
  return { ...ports, gateway: new SimulatedGateway({ ...rest, ...ports, name }) };
}
