"""Personal data that expires (《个人信息保护法》: kept no longer than its purpose needs): a periodic task erases
it once the purpose is over, and logs how much of each kind it erased."""
