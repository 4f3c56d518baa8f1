<?cs # ca-wechat's phone pages: the shared shell's bottom half. ?>
<?cs include:"phone/foot.cs" ?>
