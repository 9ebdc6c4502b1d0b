/**
 * The guard-post window must survive a curious visitor at the keyboard. The OS still owns Ctrl+Alt+Del and
 * virtual-terminal switches; these are the combinations Chromium/Electron would act on inside the window.
 */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

export function isBlockedKioskShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (input.alt && key === 'f4') return true; // close window (Windows, most Linux desktops)
  if (key === 'f11' || key === 'f12') return true; // leave full screen, devtools
  if (command && ['w', 'q', 'h', 'm', 'n', 't', 'p', 'o', 's'].includes(key)) return true; // close, quit, hide, minimise, new window, print, open, save
  if (command && input.shift && ['i', 'j', 'c'].includes(key)) return true; // devtools variants
  if (command && input.alt && key === 'i') return true; // devtools on macOS
  return false;
}
