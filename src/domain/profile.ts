/** A deployment profile: Iran (`ir`, Solar Hijri calendar) or Israel (`il`, Gregorian). */
export type Profile = 'ir' | 'il';
