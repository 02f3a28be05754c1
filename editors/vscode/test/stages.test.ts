import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseStages, stageNames } from '../src/stages';

describe('parseStages', () => {
  test('named and unnamed stages, with line numbers and images', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG NODE=20',
      'FROM node:${NODE} AS deps',
      'RUN npm ci',
      '',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      'FROM scratch',
    ].join('\n');
    assert.deepEqual(parseStages(text), [
      { index: 0, image: 'node:${NODE}', name: 'deps', line: 2 },
      { index: 1, image: 'golang:1.22', name: 'build', line: 5 },
      { index: 2, image: 'scratch', line: 6 },
    ]);
  });

  test('FROM and AS are case-insensitive; the name keeps its spelling', () => {
    assert.deepEqual(stageNames('from alpine as Base\nFrom alpine aS final\n'), ['Base', 'final']);
  });

  test('comment lines and indented comments are skipped', () => {
    assert.deepEqual(stageNames('# FROM alpine AS commented\n   # FROM x AS y\nFROM alpine AS real\n'), ['real']);
  });

  test('continuation lines join, even across comments and blank lines', () => {
    const text = ['FROM \\', '  --platform=linux/amd64 \\', '  # a comment inside', '', '  debian:12 \\', '  AS builder', 'RUN true'].join('\n');
    assert.deepEqual(parseStages(text), [{ index: 0, image: 'debian:12', name: 'builder', line: 0 }]);
  });

  test('trailing whitespace after the escape char still continues', () => {
    assert.deepEqual(stageNames('FROM alpine \\  \n  AS a\n'), ['a']);
  });

  test('a continued RUN line that mentions FROM is not a stage', () => {
    assert.deepEqual(stageNames('FROM alpine AS a\nRUN echo \\\nFROM fake AS nope\nFROM alpine AS b\n'), ['a', 'b']);
  });

  test('the escape directive changes the continuation char', () => {
    const text = ['# escape=`', '', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 `', '  AS win', 'RUN dir C:\\'].join('\r\n');
    assert.deepEqual(stageNames(text), ['win']);
  });

  test('escape directive after an instruction is not a directive', () => {
    // The backslash still continues, so "AS late" belongs to the FROM.
    assert.deepEqual(stageNames('FROM alpine \\\n  AS late\n# escape=`\n'), ['late']);
  });

  test('heredoc bodies are skipped, including <<- and quoted delimiters', () => {
    const text = [
      'FROM alpine AS one',
      'RUN <<EOF',
      'FROM inside AS heredoc',
      'EOF',
      'COPY <<-"SCRIPT" /x',
      '\tFROM inside AS tabbed',
      '\tSCRIPT',
      'RUN <<A cat && <<B cat',
      'FROM a AS no1',
      'A',
      'FROM b AS no2',
      'B',
      'FROM alpine AS two',
    ].join('\n');
    assert.deepEqual(stageNames(text), ['one', 'two']);
  });

  test('CRLF line endings', () => {
    assert.deepEqual(parseStages('FROM a AS x\r\nFROM b AS y\r\n').map((s) => [s.name, s.line]), [['x', 0], ['y', 1]]);
  });

  test('half-typed lines do not throw', () => {
    assert.deepEqual(parseStages('FROM\nFROM --platform=x\nFROM img AS\nFROM \\'), [
      { index: 0, image: 'img', line: 2 },
    ]);
  });

  test('empty text', () => {
    assert.deepEqual(parseStages(''), []);
  });
});
