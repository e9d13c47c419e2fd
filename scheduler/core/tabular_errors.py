"""The messages of scheduler.core.tabular: a file that cannot be read, a header, a cell that does not fit.

Each names the file by its name only (an uploaded file sits in a temporary folder of the server) and a
cell by its row, as the sheet shows it, and by the header text the user wrote.
"""

from __future__ import annotations

from typing import Any

from scheduler.core.errors import InputError, Outcome

# A problem of one cell, of a value under no header, of a row: numbered as the sheet shows them.
CellProblem = Outcome("file.cell", "{file} 第 {row} 行“{column}”列：{reason}")
UnheadedValue = Outcome("file.unheaded_value", "{file} 第 {row} 行 {column} 列：值“{value}”上方没有列名")
FileRowProblem = Outcome("file.row_warning", "{file} 第 {row} 行：{reason}")
RowProblem = Outcome("file.row", "第 {row} 行：{reason}")


class FileProblems(InputError):
    """The problems of a file, one per line under the heading (its `details`); nothing was imported."""

    code = "file.problems"
    template = "{file}：有 {count} 处问题，未导入任何数据"
    # Each bad cell as (row, column key, reason), for the API to name the field to blame.
    cells: tuple[tuple[int, str, Any], ...] = ()


class UnreadableFile(InputError):
    code = "file.unreadable"
    template = "无法读取 {file}：不是可读的文件"


class NoHeaderRow(InputError):
    code = "file.no_header"
    template = "{file}：第一行须是列名"


class SameColumnTwice(InputError):
    code = "file.same_column"
    template = "{file}：“{first}”和“{second}”是同一列"


class UnknownColumns(InputError):
    code = "file.unknown_columns"
    template = "{file}：不认识的列 {columns}；可用的列：{known}"


class MissingColumns(InputError):
    code = "file.missing_columns"
    template = "{file}：缺少必填的列 {columns}"


class CannotWrite(InputError):
    code = "file.cannot_write"
    template = "无法写入 {path}：{reason}"


class WrongFileType(InputError):
    code = "file.wrong_type"
    template = "{file}：不支持的文件类型“{suffix}”；请用 .csv 或 .xlsx"


class FileTooLarge(InputError):
    code = "file.too_large"
    template = "无法读取 {file}：文件大于 {megabytes} MB"


class NoSuchFile(InputError):
    code = "file.missing"
    template = "无法读取 {file}：文件不存在"


class CannotRead(InputError):
    code = "file.cannot_read"
    template = "无法读取 {file}：{reason}"


class TooManyRows(InputError):
    code = "file.too_many_rows"
    template = "无法读取 {file}：超过 {limit} 行"


class TooManyColumns(InputError):
    code = "file.too_many_columns"
    template = "无法读取 {file}：第 {row} 行超过 {limit} 列"


class NotUnicode(InputError):
    code = "file.encoding"
    template = "无法读取 {file}：文字既不是 UTF-8 也不是 GB18030 编码"


class NotCsv(InputError):
    code = "file.bad_csv"
    template = "无法读取 {file}：不是可读的 CSV 文件"


class NotWorkbook(InputError):
    code = "file.bad_xlsx"
    template = "无法读取 {file}：不是可读的 .xlsx 工作簿"


class WorkbookTooLarge(InputError):
    code = "file.xlsx_too_large"
    template = "无法读取 {file}：工作簿解压后大于 {megabytes} MB"


class NoSheet(InputError):
    code = "file.no_sheet"
    template = "无法读取 {file}：工作簿中没有工作表"


# Bad cell values. Each is also a ValueError: the importers catch ValueError around a cell's parser.


class BadCell(InputError, ValueError):
    """A cell's value that does not fit its column."""


class CellRefused(BadCell):
    """A cell refused with a message made elsewhere (a licence number's shape, an unknown language)."""


class TooLong(BadCell):
    code = "cell.too_long"
    template = "“{value}”超过 {limit} 个字"


class NotWholeNumber(BadCell):
    code = "cell.not_whole_number"
    template = "“{value}”不是整数"


class NumberRequired(BadCell):
    code = "cell.number_required"
    template = "须填写数字"


class DateRequired(BadCell):
    code = "cell.date_required"
    template = "须填写日期"


class DateWithTime(BadCell):
    code = "cell.date_with_time"
    template = "“{value}”带有时刻；这里只填日期"
