export interface OutgoingSms {
  /** E.164. */
  to: string;
  body: string;
  /** Carried to delivery events (touch id), at most five short pairs. */
  context?: Record<string, string>;
}

/** AWS End User Messaging SMS SendTextMessage as the use cases see it. */
export interface SmsSender {
  /** `signal`: the send is abandoned when it aborts (the fire path's cut-off after its claim). */
  send(sms: OutgoingSms, options?: { signal?: AbortSignal }): Promise<{ messageId: string }>;
}
