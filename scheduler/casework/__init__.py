"""Entrusted cases (委托案件, 四(四); 包案, 五(一)): the petition bureau entrusts a difficult case to lawyers, who
give a legal opinion (法律意见书). Use cases in `cases`, read models in `views`, the ranking of lawyers in
`ranking` (pure), the opinion file checks in `opinion_files` (pure), due-date reminders in `reminders`."""
