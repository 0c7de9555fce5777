import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

import type { Express } from 'express';

// Express gives every request and response its own prototype (`Object.setPrototypeOf(req, app.request)`)
// as it enters the app. V8 then sees objects change shape mid-life, and every property access Node's HTTP
// code makes on them afterwards takes the slow path: on the card view that cost more than the handler.
// Built with Express's prototypes from the start, the swap finds the prototype already in place and does
// nothing. Express itself is unchanged; only the objects are born in their final shape.

export function createHttpServer(app: Express): Server {
  function ExpressRequest(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, req: IncomingMessage, options?: object) {
    // Node passes its options (highWaterMark, rejectNonStandardBodyWrites) to the constructor it is given.
    (ServerResponse as unknown as (this: ServerResponse, ...args: unknown[]) => void).call(
      this,
      req,
      options,
    );
  }
  ExpressResponse.prototype = app.response;
  return createServer(
    {
      IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
      ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
    },
    app,
  );
}
