import express, { Router } from 'express';
import { AppError, NotFoundError } from '../../domain/errors';
import { addPerson, getPerson, listPeople, removePerson, setPerson, unknownDepartments } from '../../people/repository';
import { personBody, personPatch } from '../../people/schema';
import { actorOf, requireRole } from '../auth';
import { validationError } from '../errors';

export interface PeopleRouteDeps {
  /** whether a department key is in force: a person is never given one that does not exist */
  hasDepartment?: (key: string) => boolean;
}

const json = express.json({ limit: '16kb' });

/** /api/people (admin): the Slack users Switchboard knows, their departments and roles; the CLI's `person` over HTTP. */
export function peopleRoutes(deps: PeopleRouteDeps = {}): Router {
  const router = Router();
  const checkDepartments = (keys: readonly string[] | undefined) => {
    const unknown = deps.hasDepartment && keys ? unknownDepartments(keys, deps.hasDepartment) : [];
    if (unknown.length) throw new AppError('validation_failed', `no department ${unknown.join(', ')}`, [{ field: 'departments', message: `unknown: ${unknown.join(', ')}` }]);
  };
  const missing = (ref: string) => new NotFoundError(`no person with id or Slack user id ${ref}`);

  router.get('/people', requireRole('admin'), async (_req, res) => {
    res.json({ data: await listPeople() });
  });
  router.get('/people/:id', requireRole('admin'), async (req, res) => {
    const found = await getPerson(String(req.params.id));
    if (!found) throw missing(String(req.params.id));
    res.json({ data: found });
  });
  router.post('/people', requireRole('admin'), json, async (req, res) => {
    const body = personBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    checkDepartments(body.data.departments);
    const added = await addPerson(body.data, actorOf(req.principal));
    if (!added) throw new AppError('conflict', `Slack user ${body.data.slackUserId} is on the list already`, [{ field: 'slackUserId', message: 'already on the list' }]);
    res.status(201).json({ data: added });
  });
  router.patch('/people/:id', requireRole('admin'), json, async (req, res) => {
    const body = personPatch.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    checkDepartments(body.data.departments);
    const changed = await setPerson(String(req.params.id), body.data, actorOf(req.principal));
    if (!changed) throw missing(String(req.params.id));
    res.json({ data: changed });
  });
  router.delete('/people/:id', requireRole('admin'), async (req, res) => {
    const removed = await removePerson(String(req.params.id), actorOf(req.principal));
    if (!removed) throw missing(String(req.params.id));
    res.json({ data: removed });
  });
  return router;
}
