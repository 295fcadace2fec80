"""Regions (行政区划): the tree of a city, its districts and counties and their towns and streets.

Every department belongs to one region; administrators and supervisors may be scoped to one, and then see
that region and everything below it (分级负责、属地管理).
"""
