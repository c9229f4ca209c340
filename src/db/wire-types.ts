/**
 * Values PostgreSQL sends that Kelid keeps as the text they arrive as, on both drivers: dates
 * stay 'YYYY-MM-DD' strings (a JavaScript Date would shift them by the server's time zone) and
 * 64-bit integers stay exact (a JavaScript number loses digits past 2^53).
 */
export const DATE_OID = 1082;
export const INT8_OID = 20;
export const keepText = (value: string) => value;
