/** What each cron macro stands for, as five fields (`@daily` is `0 0 * * *`). */
export declare const CRON_MACROS: Readonly<Record<string, string>>;

/** A cron with its macro (any case) replaced by the fields it stands for; trimmed either way. */
export declare function expandCronMacro(cron: string): string;
