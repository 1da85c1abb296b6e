/** What an AWS SDK v3 client rejects with, as the tests of the local endpoints assert on it. */
export interface SdkError {
  name: string;
  message: string;
  $fault: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
  /** Service-specific fields of the error shape (End User Messaging SMS's ValidationException, ...). */
  Reason?: string;
  Fields?: { Name: string; Message: string }[];
  ResourceType?: string;
  ResourceId?: string;
}

/** The SDK's rejection of `promise`; fails the test when the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}
