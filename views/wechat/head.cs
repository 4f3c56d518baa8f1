<?cs # ca-wechat's phone pages: the shared shell (views/phone/head.cs) with this worker's stylesheet. ?>
<?cs set:Phone.css = "/assets/css/wx.css" ?><?cs include:"phone/head.cs" ?>
