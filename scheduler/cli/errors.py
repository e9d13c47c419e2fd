"""The command line's own errors (arguments, files of the solver commands), as data (scheduler.core.errors)."""

from __future__ import annotations

from scheduler.core.errors import InputError


class BadArguments(InputError):
    code = "cli.bad_arguments"
    template = "{problem}（见 scheduler {command} --help）"


class NoFolder(InputError):
    code = "cli.no_folder"
    template = "无法写入 {path}：文件夹 {folder} 不存在"


class NotUtf8(InputError):
    code = "cli.not_utf8"
    template = "{file}：不是 UTF-8 文本（第 {byte} 字节）"


class BadJson(InputError):
    code = "cli.bad_json"
    template = "{file}：JSON 格式错误，第 {line} 行第 {column} 列：{reason}"
