/** Live updates' public face: the stream screens listen on. Writes announce changes through `ScopedStore.announce`. */
export { liveRoutes } from './routes.ts';
