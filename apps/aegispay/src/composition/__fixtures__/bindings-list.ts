import { ContainerModule } from 'inversify';

/** A bindings module whose named export `bindings` is a list (for `loadBindings`' tests). */
export const bindings = [new ContainerModule(() => undefined), new ContainerModule(() => undefined)];
