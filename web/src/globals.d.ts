/** Hot buttons the voicemail scripts know, with their labels: read from templates/ at build time (scripts/build-web.ts). */
declare const __HOT_BUTTONS__: readonly { key: string; label: string }[];
