import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { ApiContext } from '../api-context';
import { ApiModule } from '../api.module';

/** One route Nest serves, read from the controllers' decorators. */
export interface NestRoute {
  readonly method: string;
  /** In OpenAPI form: `/v1/payments/{id}`. */
  readonly path: string;
  /** The guard, interceptor and pipe classes on the route (controller's and handler's). */
  readonly enhancers: readonly (abstract new (...args: never[]) => unknown)[];
  /** The pipe instances of its parameters (`@Body(new ZodValidationPipe(…))`). */
  readonly pipes: readonly unknown[];
}

type Enhancer = NestRoute['enhancers'][number];

function join(...parts: readonly string[]): string {
  const path = `/${parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '').join('/')}`;
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

/** Every route of the API module, as Nest routes it. */
export function nestRoutes(): NestRoute[] {
  const routes: NestRoute[] = [];
  for (const controller of ApiModule.register({} as ApiContext).controllers ?? []) {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const classEnhancers = [...((Reflect.getMetadata(GUARDS_METADATA, controller) as Enhancer[] | undefined) ?? []), ...((Reflect.getMetadata(INTERCEPTORS_METADATA, controller) as Enhancer[] | undefined) ?? [])];
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const enhancers = [...((Reflect.getMetadata(GUARDS_METADATA, handler) as Enhancer[] | undefined) ?? []), ...((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as Enhancer[] | undefined) ?? [])];
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) as Record<string, { pipes?: unknown[] }> | undefined) ?? {};
      routes.push({
        method: RequestMethod[method].toLowerCase(),
        path: join(base, (Reflect.getMetadata(PATH_METADATA, handler) as string | undefined) ?? ''),
        enhancers: [...classEnhancers, ...enhancers],
        pipes: Object.values(args).flatMap((arg) => arg.pipes ?? []),
      });
    }
  }
  return routes;
}
