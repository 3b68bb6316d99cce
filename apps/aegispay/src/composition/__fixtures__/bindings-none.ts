/** A module that exports no `ContainerModule` (for `loadBindings`' tests). */
export const notBindings = { load: 'nothing' };
