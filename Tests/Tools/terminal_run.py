#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as an operator would from a shell, and prints what happened as JSON:

    {"status": 0, "transcript": "<every byte written, as text>", "screen": ["line", ...]}

`screen` is what a terminal shows once the command is over: carriage returns, line feeds and the
erase-to-end-of-line sequence (ESC [ K) are applied, as a terminal applies them, so a progress line that
was cleared is gone and a table garbled by one would show. Standard input, output and error are all the
terminal.

With --answer TEXT, TEXT and a newline are typed when the command asks ("… to continue: "), as a
person would; a command still waiting after --timeout seconds is killed (status -9).

Usage: terminal_run.py [--columns N] [--answer TEXT] [--timeout S] [--env NAME=VALUE ...] -- COMMAND [ARG ...]
"""
import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios


def screen(transcript: str) -> list[str]:
    lines: list[list[str]] = [[]]
    column = 0
    i = 0
    while i < len(transcript):
        c = transcript[i]
        if c == "\r":
            column = 0
        elif c == "\n":
            lines.append([])
            column = 0
        elif c == "\x1b" and transcript.startswith("\x1b[K", i):
            del lines[-1][column:]
            i += 3
            continue
        elif c == "\x1b":
            raise SystemExit(f"unexpected escape sequence at {i}: {transcript[i:i + 8]!r}")
        else:
            line = lines[-1]
            if column < len(line):
                line[column] = c
            else:
                line.extend(" " * (column - len(line)))
                line.append(c)
            column += 1
        i += 1
    text = ["".join(line).rstrip() for line in lines]
    while text and not text[-1]:
        text.pop()
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--columns", type=int, default=200)
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--answer")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    env = dict(os.environ, TERM="xterm")
    for pair in args.env:
        name, _, value = pair.partition("=")
        env[name] = value
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(command[0], command, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, args.columns, 0, 0))
    chunks = []
    answered = False
    while True:
        ready, _, _ = select.select([fd], [], [], args.timeout)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            break
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
        if args.answer is not None and not answered and b"to continue: " in b"".join(chunks):
            os.write(fd, args.answer.encode() + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    transcript = b"".join(chunks).decode("utf-8", errors="replace")
    json.dump({"status": os.waitstatus_to_exitcode(status), "transcript": transcript, "screen": screen(transcript)},
              sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
