// Small things the HHT app's screens share.
export const EUI = /^[0-9A-F]{16}$/;
export const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;

/** Whether the platform (not the device) answered the last time it was asked. */
export type Net = 'checking' | 'online' | 'offline';
