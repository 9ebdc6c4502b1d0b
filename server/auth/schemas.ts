import { z } from 'zod';

export const password = z.string().min(8, 'Kata sandi minimal 8 karakter.').max(200, 'Kata sandi terlalu panjang.');

export const loginBody = z.object({
  login: z.string().trim().min(1, 'Isi email atau nomor HP.').max(254),
  password: z.string().min(1, 'Isi kata sandi.').max(200),
});

export const passwordChangeBody = z.object({
  current_password: z.string().min(1).max(200),
  new_password: password,
});

export const tokenBody = loginBody.extend({ name: z.string().trim().max(100).optional() });
