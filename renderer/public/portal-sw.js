// The resident portal's service worker (server/webpush/README.md). It shows pushes and opens their page; it caches
// nothing and has no fetch handler, so every page and script still comes from the server as without it.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** Only a page of the portal: a push never opens an outside address. */
function portalPath(url) {
  return typeof url === 'string' && url.startsWith('/portal') && !url.startsWith('//') ? url : '/portal/notifications';
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Klustera';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/icons/portal-192.png',
      badge: '/icons/portal-192.png',
      // The same message pushed again (a retry) replaces its notification instead of adding one.
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      data: { url: portalPath(data.url) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(portalPath(event.notification.data && event.notification.data.url), self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url.startsWith(`${self.location.origin}/portal`) && 'focus' in client) {
          return client.navigate(target).then((c) => (c || client).focus());
        }
      }
      return self.clients.openWindow(target);
    }),
  );
});
