// pino-roll ships no types; this is the part of its API the server uses (its README: build(options) => SonicBoom).
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  export default function build(options: {
    file: string;
    extension?: string;
    frequency?: 'daily' | 'hourly' | number;
    dateFormat?: string;
    size?: string | number;
    mkdir?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }): Promise<DestinationStream>;
}
