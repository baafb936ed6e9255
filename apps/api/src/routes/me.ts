import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import {
  AVATAR_MAX_BYTES,
  becomeArtist,
  changeEmail,
  changePassword,
  removeAvatar,
  setAvatar,
  unsupportedMedia,
  updateProfile,
  validationFailed,
} from '@earshot/core';
import { Bio, DisplayName, Email, errorResponses, Handle, Password } from '../schemas.ts';
import { AccountUserSchema, presentAccountUser } from '../presenters/user.ts';
import { setSessionCookies } from '../plugins/auth.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const UserReply = Type.Object({ user: AccountUserSchema });

const endpoint = endpointsTagged('account');
/** A change that asks for the password: in the auth rate-limit zone, like sign-in, so it cannot be used to guess it. */
const passwordChecked = <S extends FastifySchema>(summary: string, schema: S) =>
  endpoint('signed-in', summary, schema, { rateLimit: 'auth' });

/** The signed-in user's own account: profile, avatar, password, email, becoming an artist. */
export function meRoutes(app: Api, deps: RouteDeps): void {
  app.patch(
    '/api/v1/me',
    endpoint('signed-in', 'Edit your profile: handle, display name, bio', {
      body: Type.Object(
        { handle: Type.Optional(Handle), displayName: Type.Optional(DisplayName), bio: Type.Optional(Bio) },
        { additionalProperties: false },
      ),
      response: { 200: UserReply, ...errorResponses(400, 401, 403, 409) },
    }),
    async (request) => ({
      user: presentAccountUser(await updateProfile(deps.core, requireUser(request).id, request.body)),
    }),
  );

  app.put(
    '/api/v1/me/password',
    passwordChecked('Change your password (needs the current one); signs out your other sessions and renews this one', {
      body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String() }), ...errorResponses(400, 401, 403, 429) },
    }),
    async (request, reply) => {
      const session = await changePassword(deps.core, requireUser(request).id, request.body);
      setSessionCookies(reply, session.token, session.expiresAt, deps.core, deps.config);
      return { token: session.token };
    },
  );

  app.put(
    '/api/v1/me/email',
    passwordChecked('Change your email address (needs your password); the new address must be verified again', {
      body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
      response: { 200: UserReply, ...errorResponses(400, 401, 403, 409, 429) },
    }),
    async (request) => ({
      user: presentAccountUser(await changeEmail(deps.core, requireUser(request).id, request.body)),
    }),
  );

  app.put(
    '/api/v1/me/avatar',
    endpoint(
      'signed-in',
      'Upload an avatar (multipart `avatar`: JPEG, PNG, WebP, GIF or AVIF, at most 10 MB); stored square in two sizes',
      {
        consumes: ['multipart/form-data'],
        response: { 200: UserReply, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    ),
    async (request) => {
      const user = requireUser(request);
      if (!request.isMultipart()) throw unsupportedMedia('Send the image as multipart/form-data in an `avatar` field');
      const part = await request.file({
        limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 },
      });
      if (part?.fieldname !== 'avatar') {
        part?.file.resume();
        throw validationFailed('Attach the image in the `avatar` field', { field: 'avatar' });
      }
      // ≤ 10 MB, so reading it whole is fine (and sharp needs random access anyway).
      const image = await part.toBuffer();
      return { user: presentAccountUser(await setAvatar(deps.core, user.id, image)) };
    },
  );

  app.delete(
    '/api/v1/me/avatar',
    endpoint('signed-in', 'Remove your avatar', {
      response: { 200: UserReply, ...errorResponses(401, 403) },
    }),
    async (request) => ({ user: presentAccountUser(await removeAvatar(deps.core, requireUser(request).id)) }),
  );

  app.post(
    '/api/v1/me/become-artist',
    endpoint('signed-in', 'Turn a listener account into an artist account (uploads, artist page)', {
      response: { 200: UserReply, ...errorResponses(401, 403) },
    }),
    async (request) => ({ user: presentAccountUser(await becomeArtist(deps.core, requireUser(request).id)) }),
  );
}
