/** Access to the resource: the same user (check user) and the required role (check role). */
import { OTHER_USER } from '../data/fixtures.ts';
import { type ScenarioSeed, bearer, token } from './builders.ts';

export const access: readonly ScenarioSeed[] = [
  {
    name: 'other-users-resource',
    title: "Another user's resource",
    why: 'The token is valid, but the path names another user: 403, not 401.',
    expect: 'user_mismatch',
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c)), pathUserId: OTHER_USER }),
  },
  {
    name: 'user-before-role',
    title: "Another user's resource, without the role",
    why: 'The user check comes before the role check.',
    expect: 'user_mismatch',
    notOverHttp: 'the reference routes never need a user and a role at once',
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'user' })), pathUserId: OTHER_USER, requiredRole: 'admin' }),
  },

  {
    name: 'missing-role',
    title: 'Role "user" on an admin route',
    why: 'Signed in, but not allowed: 403.',
    expect: 'insufficient_role',
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'user' })), requiredRole: 'admin' }),
  },
  {
    name: 'no-role-claim',
    title: 'No role claim on an admin route',
    why: 'Without a role claim, no role is held.',
    expect: 'insufficient_role',
    build: async (c) => ({ authorization: bearer(await token(c)), requiredRole: 'admin' }),
  },
  {
    name: 'role-case-differs',
    title: 'Role "Admin" on an "admin" route',
    why: 'Roles are compared exactly, case included.',
    expect: 'insufficient_role',
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'Admin' })), requiredRole: 'admin' }),
  },
  {
    name: 'role-substring',
    title: 'Role "superadmin" on an "admin" route',
    why: 'A list item must equal the role; containing it is not enough.',
    expect: 'insufficient_role',
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'superadmin' })), requiredRole: 'admin' }),
  },
];
