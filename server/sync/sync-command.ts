import type { AppContext } from '../http/app-context.ts';
import { linkedEstates, runSyncCycle } from './desktop-service.ts';
import { platformDb } from './platform-db.ts';

/** `klustera sync`: one push+pull cycle for every linked estate, in plain words; exit 1 when one failed. */
export async function runSyncCommand(app: AppContext, print: (line: string) => void = console.log): Promise<number> {
  const estates = await linkedEstates(platformDb(app));
  if (!estates.length) {
    print('Belum tertaut ke server awan: tautkan dulu dari halaman Sinkronisasi di kantor.');
    return 1;
  }
  let failed = 0;
  for (const estateId of estates) {
    const s = await runSyncCycle(app, estateId);
    const name =
      ((await platformDb(app)('estates').where({ id: estateId }).first('name')) as { name: string } | undefined)?.name ?? estateId;
    if (s.ok) print(`${name}: ${s.pushed} perubahan dikirim, ${s.pulled} diterima, ${s.waiting} menunggu, ${s.conflicts} konflik.`);
    else {
      failed++;
      print(`${name}: gagal (${s.error?.code}) ${s.error?.message} ${s.waiting} perubahan menunggu.`);
    }
  }
  return failed ? 1 : 0;
}
