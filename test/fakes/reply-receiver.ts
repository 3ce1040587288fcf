import type http from 'node:http';
import { LoopbackFake } from './loopback-server';

export interface ReceivedReply {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A company's endpoint for our webhook replies: records each POST and answers from a script (default 200 with no body). */
export class FakeReplyReceiver extends LoopbackFake {
  readonly received: ReceivedReply[] = [];
  private readonly script: Answer[] = [];

  answerNext(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      // kept as received; the test looks at rawBody
    }
    this.received.push({ headers: req.headers, rawBody, body });
    const answer = this.script.shift() ?? { status: 200 };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}
