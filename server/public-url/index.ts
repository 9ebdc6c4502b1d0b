/** The address phones open: what other domains and the server's start-up use. */
export { effectivePublicUrl, listeningPublicUrl, parsePublicUrl, usablePublicUrl, type PublicAddress } from './public-url.ts';
export { publicUrlFreshness, readStoredPublicUrl } from './store.ts';
export { phoneAddressLines } from './startup-banner.ts';
export { publicUrlRoutes } from './routes.ts';
